import { countOutcomes, describeReplayedRequest, previewValue, type ReplayedRequest, type ReplayResult } from '../../../src-shared/recording';

const OUTCOME_LABELS = { equal: 'Equal', different: 'Different', skipped: 'Skipped', failed: 'Failed' } as const;

const identity = (info: ReplayResult['serverInfo']): string => (info ? ` (${info.name} ${info.version})` : '');

/** A replay's result: the verdict, then each request with its outcome and, for a different one, every difference. */
export function ReplayResultView({ result }: { result: ReplayResult }) {
  const counts = countOutcomes(result);
  const verdict =
    result.outcome === 'failed'
      ? `The replay could not run: ${result.failure ?? 'no reason given'}`
      : result.outcome === 'match'
        ? 'Every response matches the recording'
        : 'The responses differ from the recording';
  return (
    <section className="rp-result" aria-label="Replay result" data-testid="replay-result" data-outcome={result.outcome}>
      <h3>
        Replay of “{result.recording.name}” against {result.server}
        {identity(result.serverInfo)}
      </h3>
      <p className={`rp-verdict rp-verdict-${result.outcome}`} role="status" data-testid="replay-verdict">
        {verdict}
      </p>
      <p className="muted" data-testid="replay-counts">
        {result.requests.length} requests: {counts.equal} equal, {counts.different} different, {counts.skipped} skipped, {counts.failed} failed
        {result.serverRequests.answered > 0 && ` · ${result.serverRequests.answered} server requests answered from the recording`}
        {result.ignore.length > 0 && ` · ignored: ${result.ignore.join(', ')}`}
      </p>
      {result.serverRequests.unanswered.length > 0 && <p className="rp-warning">The server asked for more than the recording answered: {result.serverRequests.unanswered.join(', ')}</p>}
      <ol className="rp-requests">
        {result.requests.map((request) => (
          <RequestOutcome key={`${request.sessionId}-${request.index}`} request={request} />
        ))}
      </ol>
    </section>
  );
}

function RequestOutcome({ request }: { request: ReplayedRequest }) {
  return (
    <li className={`rp-request rp-${request.outcome}`} data-testid="replay-request" data-outcome={request.outcome}>
      <span className={`rp-badge rp-badge-${request.outcome}`}>{OUTCOME_LABELS[request.outcome]}</span> <span className="rp-name">{describeReplayedRequest(request)}</span>
      {request.reason && <span className="muted">: {request.reason}</span>}
      {request.differences.length > 0 && (
        <table className="rp-diff" aria-label={`Differences of ${describeReplayedRequest(request)}`}>
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Recorded</th>
              <th scope="col">Replayed</th>
            </tr>
          </thead>
          <tbody>
            {request.differences.map((difference) => (
              <tr key={difference.path} data-testid="replay-difference">
                <th scope="row">
                  <code>{difference.path}</code>
                </th>
                <td className="rp-recorded">{difference.kind === 'added' ? <em>absent</em> : <code>{previewValue(difference.recorded, 300)}</code>}</td>
                <td className="rp-replayed">{difference.kind === 'removed' ? <em>absent</em> : <code>{previewValue(difference.replayed, 300)}</code>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}
