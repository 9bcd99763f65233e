import { countOutcomes, describeDifference, describeReplayedRequest, type ReplayResult } from '../../src-shared/recording';

const LABELS = { equal: 'equal', different: 'DIFFERENT', skipped: 'skipped', failed: 'FAILED' } as const;

const identity = (info: ReplayResult['serverInfo']): string => (info ? ` (${info.name} ${info.version})` : '');

/** The result as lines for a person: one per request, its differences below it, and the counts. */
export function formatReplayReport(result: ReplayResult): string[] {
  const lines = [`replay of "${result.recording.name}"${identity(result.recordedServerInfo)} against ${result.server}${identity(result.serverInfo)}`];
  for (const request of result.requests) {
    lines.push(`  ${LABELS[request.outcome].padEnd(9)} ${describeReplayedRequest(request)}${request.reason ? `: ${request.reason}` : ''}`);
    for (const difference of request.differences) lines.push(`              ${describeDifference(difference)}`);
  }
  if (result.serverRequests.unanswered.length > 0) lines.push(`  the server asked for more than the recording answered: ${result.serverRequests.unanswered.join(', ')}`);
  if (result.ignore.length > 0) lines.push(`  ignored: ${result.ignore.join(', ')}`);
  const counts = countOutcomes(result);
  lines.push(`${result.requests.length} requests: ${counts.equal} equal, ${counts.different} different, ${counts.skipped} skipped, ${counts.failed} failed`);
  if (result.outcome === 'failed') lines.push(`failed: ${result.failure ?? 'the replay could not run'}`);
  else lines.push(result.outcome === 'match' ? 'every response matches the recording' : 'the responses differ from the recording');
  return lines;
}
