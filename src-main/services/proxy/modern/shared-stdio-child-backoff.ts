/** How quickly a shared child that keeps dying is started again. */
export interface RestartPolicy {
  /** Wait before the first restart after an end that followed a healthy period. */
  initialDelayMs: number;
  /** The longest wait: the delay doubles with every end in a row, up to this. */
  maxDelayMs: number;
  /** A child that ran at least this long before it ended was healthy: the doubling starts over. */
  healthyAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 250, maxDelayMs: 10_000, healthyAfterMs: 30_000 };

/**
 * Counts the ends of a child in a row (exits and failed starts not separated by a healthy period) and turns the
 * count into the wait before the next start: none for the very first start, then `initialDelayMs` doubling up to
 * `maxDelayMs`. A crash loop is slowed down; a child that crashes once after a long healthy run is back at once
 * apart from the initial delay.
 */
export class RestartBackoff {
  private streak = 0;

  constructor(private readonly policy: RestartPolicy) {}

  /** Ends in a row so far (0 before any end, or after a reset). */
  get attempt(): number {
    return this.streak;
  }

  /** Records that a child ended after running `uptimeMs` (0 for a start that failed). */
  recordEnd(uptimeMs: number): void {
    this.streak = uptimeMs >= this.policy.healthyAfterMs ? 1 : this.streak + 1;
  }

  /** How long to wait before the next start. */
  nextDelayMs(): number {
    if (this.streak === 0) return 0;
    const { initialDelayMs, maxDelayMs } = this.policy;
    return Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(this.streak - 1, 30));
  }
}
