/** The result of a measurement that may fail: failures are recorded with their message, never thrown past the runner. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** The message of anything thrown. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const text = error.message || error.name;
  // fetch says only "fetch failed"; the code that tells a reset from a refusal is on its cause.
  const cause = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof cause === 'string' && !text.includes(cause) ? `${text} (${cause})` : text;
}

/** Rejects with `label timed out after N ms` when `promise` takes longer than `ms`; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs one measurement under a time limit and turns any failure into an `Outcome`. The work itself is not
 * cancelled by the timeout, so measurements keep their own loops bounded as well; this is the backstop.
 */
export async function attempt<T>(label: string, timeoutMs: number, run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await withTimeout(run(), timeoutMs, label) };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

/** Awaits a promise, ignoring its failure (for best-effort cleanup whose error has nowhere useful to go). */
export async function settle(promise: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!promise) return;
  await withTimeout(promise, ms, 'cleanup').catch(() => undefined);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `everyMs` until it returns true or `ms` passes; resolves to the last answer. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
}
