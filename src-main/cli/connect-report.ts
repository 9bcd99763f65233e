import type { ConnectReport } from './connect-run';

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
  if (report.era) {
    const server = report.server ? `"${report.server.name}" ${report.server.version}` : 'the server';
    lines.push(`Connected to ${server} at ${report.url} through Patchbay (${transport}, ${report.era}${report.protocolVersion ? ` · ${report.protocolVersion}` : ''})`);
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
