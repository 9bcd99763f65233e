/**
 * Running tool calls from the inspector: progress while they run, the result (or error) kept per tool, and Cancel.
 * Calls go through `client.request` rather than `client.callTool`: callTool throws away a result whose
 * structuredContent does not fit the output schema, and the inspector wants to show exactly that.
 */
import { ProtocolError, type Client } from '@modelcontextprotocol/client';
import { patchSession, type ServerSession, type ToolCallState } from './inspector-store';
import { prepareModernCall } from './modern/modern-call';
import { withRequestMeta } from './modern/request-options';
import { followToolTask, isTaskHandleRejection } from './modern/task-actions';

/** A call may run this long (progress resets the clock); the user can cancel sooner. */
export const TOOL_CALL_TIMEOUT_MS = 10 * 60_000;

/** Aborting one cancels its call (the SDK sends notifications/cancelled). Keyed by server and tool. */
const running = new Map<string, AbortController>();

const keyOf = (server: string, tool: string) => JSON.stringify([server, tool]);

function patchCall(server: string, client: Client, tool: string, change: (call: ToolCallState | undefined) => ToolCallState): void {
  patchSession(server, client, (session: ServerSession) => ({ toolCalls: { ...session.toolCalls, [tool]: change(session.toolCalls[tool]) } }));
}

/** Calls a tool; its state (running → done/failed/cancelled) lands in the server's session. */
export async function runToolCall(server: string, client: Client, tool: string, args: Record<string, unknown>): Promise<void> {
  running.get(keyOf(server, tool))?.abort(new Error('Replaced by a new call'));
  const controller = new AbortController();
  running.set(keyOf(server, tool), controller);
  const startedAt = Date.now();
  patchCall(server, client, tool, () => ({ status: 'running', startedAt, arguments: args }));
  let modern: ReturnType<typeof prepareModernCall> | undefined;
  try {
    // Modern era: the Request options' _meta and log level go with the call, and its rounds' input requests name it.
    modern = prepareModernCall(server, client, 'tools/call', tool);
    const result = await client.request({ method: 'tools/call', params: withRequestMeta({ name: tool, arguments: args }, modern.meta) }, {
      signal: controller.signal,
      timeout: TOOL_CALL_TIMEOUT_MS,
      resetTimeoutOnProgress: true,
      onprogress: (progress) => {
        if (controller.signal.aborted) return;
        modern?.progress(progress);
        patchCall(server, client, tool, (call) => ({ ...(call ?? { status: 'running', startedAt, arguments: args }), progress: { progress: progress.progress, total: progress.total, message: progress.message } }));
      },
    });
    if (running.get(keyOf(server, tool)) !== controller) return;
    patchCall(server, client, tool, (call) => ({ ...(call ?? { startedAt, arguments: args }), status: 'done', endedAt: Date.now(), result }));
  } catch (error) {
    if (running.get(keyOf(server, tool)) !== controller) return;
    // A task handle (tasks extension): the call ends here and the task is followed in its panel.
    if (isTaskHandleRejection(error) && followToolTask(server, client, tool, startedAt)) {
      patchCall(server, client, tool, (call) => ({ ...(call ?? { startedAt, arguments: args }), status: 'task', endedAt: Date.now(), progress: undefined }));
      return;
    }
    const cancelled = controller.signal.aborted;
    patchCall(server, client, tool, (call) => ({
      ...(call ?? { startedAt, arguments: args }),
      status: cancelled ? 'cancelled' : 'failed',
      endedAt: Date.now(),
      error: cancelled ? undefined : errorMessage(error),
    }));
  } finally {
    modern?.end();
    if (running.get(keyOf(server, tool)) === controller) running.delete(keyOf(server, tool));
  }
}

/** Cancels a running call of a tool (no-op when none runs). */
export function cancelToolCall(server: string, tool: string): void {
  running.get(keyOf(server, tool))?.abort(new Error('Cancelled by the user'));
}

/** An error as one readable line: a JSON-RPC error says its code ("Error -32602: …"), anything else its message. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof ProtocolError ? `Error ${error.code}: ${message}` : message;
}
