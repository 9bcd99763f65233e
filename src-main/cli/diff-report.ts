import { describeChange, describeCounts, previewChangeValue, type ServerDiff } from '../../src-shared/server-diff';

const identity = (side: ServerDiff['before']): string => `${side.server}${side.serverInfo ? ` (${side.serverInfo.name} ${side.serverInfo.version})` : ''}`;

/** The diff as lines for a person: one per change, breaking first, with its path and before → after, then the counts. */
export function formatDiffReport(diff: ServerDiff): string[] {
  const lines = [`diff of ${identity(diff.before)} → ${identity(diff.after)}`];
  for (const change of diff.changes) {
    lines.push(`  ${describeChange(change)}`);
    const values = change.before !== undefined && change.after !== undefined ? `: ${previewChangeValue(change.before)} → ${previewChangeValue(change.after)}` : '';
    lines.push(`            ${change.path}${values}`);
  }
  lines.push(describeCounts(diff.counts));
  lines.push(diff.counts.breaking > 0 ? 'breaking changes: an agent written against BEFORE may fail against AFTER' : 'no breaking change');
  return lines;
}
