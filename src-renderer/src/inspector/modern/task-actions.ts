/**
 * Tasks started from the inspector's tool calls: when a modern tools/call is answered with a task handle (which the
 * 2.x client rejects as an unsupported result type), the handle is taken from the wire tap and followed, its input
 * requests put in front of the user as the Requests tab's cards (the same cards as any sampling or elicitation),
 * roots answered from the Roots tab as a roots/list would be.
 */
import type { Client } from '@modelcontextprotocol/client';
import { currentRoots, receiveServerRequest } from '../inspector-store';
import type { ElicitParams, SamplingParams } from '../request-cards';
import { followTask, type FollowedTask, type TaskInputRequest } from './task-runner';
import { tapOf } from './wire-tap';

/** Whether an error is the 2.x client's rejection of a task handle. */
export function isTaskHandleRejection(error: unknown): boolean {
  const data = (error as { data?: { resultType?: unknown } } | undefined)?.data;
  return typeof error === 'object' && error !== null && data?.resultType === 'task';
}

/** Asks the user one of a task's input requests, as a card. */
function askAsCard(server: string, client: Client, task: { taskId: string; tool: string }, key: string, request: TaskInputRequest, signal: AbortSignal): Promise<unknown> {
  const origin = { requestId: key, signal, via: { key, task } };
  switch (request.method) {
    case 'elicitation/create':
      return receiveServerRequest(server, client, { kind: 'elicitation', params: request.params as ElicitParams }, origin);
    case 'sampling/createMessage':
      return receiveServerRequest(server, client, { kind: 'sampling', params: request.params as SamplingParams }, origin);
    case 'roots/list':
      return Promise.resolve({ roots: currentRoots(server) });
    default:
      return Promise.reject(new Error(`The task asks for ${request.method}, which Patchbay cannot answer`));
  }
}

/**
 * After a tool call of `tool` started at `since` was rejected as a task handle: follows the task, or returns
 * undefined when no handle was seen (the rejection was something else).
 */
export function followToolTask(server: string, client: Client, tool: string, since: number): FollowedTask | undefined {
  const tap = tapOf(server, client);
  const handle = tap?.takeTaskHandle(tool, since);
  if (!handle) return undefined;
  const task = { taskId: handle.taskId, tool };
  return followTask(server, client, tool, handle, { ask: (key, request, signal) => askAsCard(server, client, task, key, request, signal) }, tap);
}
