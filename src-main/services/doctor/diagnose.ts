import type { ServerEntry } from '../../../src-shared/catalog';
import { DoctorReportSchema, type DoctorCheck, type DoctorReport } from '../../../src-shared/doctor';
import { resolvePlaceholders } from '../config/placeholders';
import { childEnvironment } from '../proxy/upstream';
import { runSteps } from './check-runner';
import { newRemoteContext, REMOTE_STEPS } from './remote-checks';
import { newStdioContext, STDIO_STEPS } from './stdio-checks';

export interface DiagnoseOptions {
  /** How long a stdio server must stay up after it starts, before anything is sent (default 1.5 s). */
  stayUpMs?: number;
  /** How long a server gets to answer the handshake, and one network step to finish (default 10 s). */
  timeoutMs?: number;
  /** A remote answer slower than this gets a warning (default 3 s). */
  slowMs?: number;
  /** Variables never passed to a child, nor filled into a placeholder (the proxy's own token). */
  isPrivateEnv?: (name: string, value: string) => boolean;
  /** Answers to the entry's `${input:id}` placeholders. */
  inputs?: Readonly<Record<string, string | undefined>>;
  /** How the 401 fix tells the user to sign in (the app's Auth tab, the CLI's `npm run connect -- --oauth`). */
  signInHint?: string;
}

/**
 * Diagnoses one catalog entry step by step, as the proxy would start or reach it, and returns the report. Every
 * child it started has ended when this resolves.
 */
export async function diagnoseServer(entry: ServerEntry, options: DiagnoseOptions = {}): Promise<DoctorReport> {
  const startedAt = new Date();
  const started = performance.now();
  const isPrivateEnv = options.isPrivateEnv ?? (() => false);
  const filled = resolvePlaceholders(entry, { env: process.env, inputs: options.inputs, isPrivateEnv });
  const target = entry.transport === 'stdio' ? [entry.command, ...entry.args].join(' ') : entry.url;
  const checks: DoctorCheck[] = [];
  if (!filled.ok) {
    checks.push({ id: 'placeholders', title: 'Its ${...} values are filled in', status: 'failed', detail: filled.message, fix: 'Set the environment variables or give the inputs it names, then diagnose again.', evidence: [], durationMs: 0 });
  } else if (filled.entry.transport === 'stdio') {
    const context = newStdioContext(filled.entry, childEnvironment(filled.entry.env, isPrivateEnv), { stayUpMs: options.stayUpMs, handshakeTimeoutMs: options.timeoutMs });
    try {
      checks.push(...(await runSteps(STDIO_STEPS, context)));
    } finally {
      await context.child?.close();
    }
  } else {
    const context = newRemoteContext(filled.entry, { timeoutMs: options.timeoutMs, slowMs: options.slowMs, signInHint: options.signInHint });
    checks.push(...(await runSteps(REMOTE_STEPS, context)));
  }
  return DoctorReportSchema.parse({
    server: entry.name,
    transport: entry.transport,
    target,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    checks,
  });
}
