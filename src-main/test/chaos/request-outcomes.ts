/**
 * How a JSON-RPC request the soak sent ended. Every request must end in one of these: a request that is still
 * open when the run is over hung somewhere.
 */
export type RequestOutcome =
  /** The server's result arrived. */
  | 'answered'
  /** A JSON-RPC error response arrived (from the server or the proxy). */
  | 'error-response'
  /** The proxy refused the HTTP request carrying it (4xx, 5xx), with a JSON-RPC error body. */
  | 'refused'
  /** The stream that was to carry the answer ended without it (the session closed under it). */
  | 'stream-ended'
  /** The client gave up on it: it sent notifications/cancelled, or it dropped its connections. */
  | 'given-up';

interface TrackedRequest {
  label: string;
  sentAt: number;
  outcome?: RequestOutcome;
  detail?: string;
}

/** Every request the soak sent, and how each one ended. */
export class RequestOutcomes {
  private readonly requests = new Map<string, TrackedRequest>();
  private readonly counts = new Map<RequestOutcome, number>();
  /** Problems that break the proxy's promise whatever the interleaving (a 500, a body that is not JSON-RPC). */
  readonly violations: string[] = [];

  /** Starts tracking a request; returns the function that records its end (the first end wins). */
  track(key: string, label: string): (outcome: RequestOutcome, detail?: string) => void {
    const tracked: TrackedRequest = { label, sentAt: Date.now() };
    this.requests.set(key, tracked);
    return (outcome, detail) => {
      if (tracked.outcome) return;
      tracked.outcome = outcome;
      tracked.detail = detail;
      this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
      // Only the open ones are needed for the final check; ended ones are counted.
      this.requests.delete(key);
    };
  }

  get total(): number {
    return [...this.counts.values()].reduce((sum, count) => sum + count, 0) + this.requests.size;
  }

  /** Requests still without an outcome, described for the failure message. */
  unsettled(now = Date.now()): string[] {
    return [...this.requests.values()].map((request) => `${request.label} (sent ${now - request.sentAt} ms ago)`);
  }

  summary(): Record<RequestOutcome | 'unsettled', number> {
    return {
      answered: this.counts.get('answered') ?? 0,
      'error-response': this.counts.get('error-response') ?? 0,
      refused: this.counts.get('refused') ?? 0,
      'stream-ended': this.counts.get('stream-ended') ?? 0,
      'given-up': this.counts.get('given-up') ?? 0,
      unsettled: this.requests.size,
    };
  }
}
