import { AUTH_STEP_LABELS, type ServerAuthState } from '../../src-shared/oauth';
import type { ConnectReport } from './connect-run';

const STEP_MARKS = { done: '✓', failed: '✗', skipped: '–', running: '…', pending: ' ' } as const;

/** How the proxy signed in, in short: the outcome, then one line per step (and the rule a failed one broke). */
export function formatAuth(auth: ServerAuthState): string[] {
  const lines: string[] = [];
  const scopes = auth.scopes?.length ? ` (scopes: ${auth.scopes.join(' ')})` : '';
  if (auth.status === 'signed-in') lines.push(`Signed in${auth.issuer ? ` with ${auth.issuer}` : ''}${auth.registration ? `, ${auth.registration} client${auth.clientId ? ` ${auth.clientId}` : ''}` : ''}${scopes}`);
  else lines.push(`Authorization: ${auth.status}${auth.issuer ? ` (${auth.issuer})` : ''}${auth.error ? `: ${auth.error}` : ''}`);
  for (const step of auth.steps) {
    const timing = step.durationMs === undefined ? '' : ` (${Math.round(step.durationMs)} ms)`;
    lines.push(`  ${STEP_MARKS[step.state]} ${AUTH_STEP_LABELS[step.kind]}: ${step.summary}${timing}`);
    if (step.failure) {
      lines.push(`      ${step.failure.message}`);
      if (step.failure.rule) lines.push(`      rule: ${step.failure.rule}${step.failure.reference ? ` (${step.failure.reference})` : ''}`);
    }
  }
  return lines;
}

/** A tool result's content, as lines: text as it is, anything else named by its type. */
function contentLines(content: NonNullable<ConnectReport['call']>['content']): string[] {
  return content.flatMap((block) => {
    if (block.type === 'text') return block.text.split('\n');
    if (block.type === 'resource_link') return [`(resource link ${block.uri})`];
    if (block.type === 'resource') return [`(resource ${block.resource.uri})`];
    return [`(${block.type}${'mimeType' in block && typeof block.mimeType === 'string' ? ` ${block.mimeType}` : ''})`];
  });
}

/** The report as the terminal shows it: what was reached, the tools, the call's result; the error last. */
export function formatConnectReport(report: ConnectReport): string[] {
  const lines: string[] = [];
  const transport = report.transport === 'sse' ? 'HTTP+SSE' : 'Streamable HTTP';
  if (report.auth) lines.push(...formatAuth(report.auth));
  if (report.era) {
    const server = report.server ? `"${report.server.name}" ${report.server.version}` : 'the server';
    lines.push(`Connected to ${server} at ${report.url} through Patchbay (${transport}, ${report.era}${report.protocolVersion ? ` · ${report.protocolVersion}` : ''})`);
  }
  if (report.tools) {
    lines.push(`Tools (${report.tools.length}):`);
    for (const tool of report.tools) lines.push(`  ${tool.name}${tool.description ? `  ${firstLine(tool.description)}` : ''}`);
  }
  if (report.call) {
    lines.push(`Called ${report.call.tool}${report.call.isError ? ' (the tool answered with an error)' : ''}:`);
    for (const line of contentLines(report.call.content)) lines.push(`  ${line}`);
    if (report.call.structuredContent !== undefined) lines.push(`  structured: ${JSON.stringify(report.call.structuredContent)}`);
  }
  if (report.error) lines.push(`error: ${report.error}`);
  return lines;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
