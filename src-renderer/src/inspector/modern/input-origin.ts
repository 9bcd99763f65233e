/**
 * Which request an input request belongs to (modern era). The SDK fulfils a Multi Round-Trip Request's
 * `inputRequests` through the client's elicitation, sampling and roots handlers, then retries the request itself
 * with `inputResponses` and the echoed `requestState`; the handler hears only the input request's key. The calls the
 * inspector makes register here while they run, with the round the SDK reports through their progress callback
 * ("Fulfilling input required by 'tools/call' (round 2)"), so a card can say what it is for. When several such
 * calls run on one server at once a card cannot tell which one asks, and says only its key.
 */

/** What an input request is for: the request (method and tool, prompt or URI), its round, and the input's key. */
export interface InputOrigin {
  method: string;
  target: string;
  /** The round of the request (1 for the first answer that asked for input). */
  round?: number;
}

interface RunningCall extends InputOrigin {
  id: number;
}

const running = new Map<string, RunningCall[]>();
let nextId = 1;

/** The SDK's progress message for a round: "Fulfilling input required by 'tools/call' (round 2)". */
const ROUND_MESSAGE = /^Fulfilling input required by '([^']+)' \(round (\d+)\)$/;

/** The round a progress report announces, if it is the SDK's round report. */
export function roundOfProgress(progress: { progress: number; message?: string }): number | undefined {
  const match = progress.message ? ROUND_MESSAGE.exec(progress.message) : null;
  return match ? Number(match[2]) : undefined;
}

/** A call that may ask for input started; its handle records rounds and ends it. */
export function beginInputOrigin(server: string, origin: { method: string; target: string }): { round(progress: { progress: number; message?: string }): boolean; end(): void } {
  const call: RunningCall = { ...origin, id: nextId++ };
  running.set(server, [...(running.get(server) ?? []), call]);
  return {
    /** Takes a progress report; true when it was a round report (not the server's own progress). */
    round: (progress) => {
      const round = roundOfProgress(progress);
      if (round === undefined) return false;
      call.round = round;
      return true;
    },
    end: () => {
      const calls = (running.get(server) ?? []).filter((other) => other.id !== call.id);
      if (calls.length === 0) running.delete(server);
      else running.set(server, calls);
    },
  };
}

/** The request an input request of `server` is for, when exactly one call that may ask is running there. */
export function soleInputOrigin(server: string): InputOrigin | undefined {
  const calls = running.get(server);
  if (!calls || calls.length !== 1) return undefined;
  const [call] = calls;
  return { method: call!.method, target: call!.target, ...(call!.round !== undefined ? { round: call!.round } : {}) };
}

/** Where an input request card came from: the input's key, and the request whose round (or task) asked for it. */
export interface InputRequestOrigin {
  key: string;
  /** The request, when known (several calls at once on one server cannot be told apart). */
  request?: InputOrigin;
  /** The task whose tasks/get showed it, answered with tasks/update. */
  task?: { taskId: string; tool: string };
}

/** "asked by tools/call ask-name, round 1 · input name", "asked by the task of background-job · input approve". */
export function describeInputRequestOrigin(via: InputRequestOrigin): string {
  const by = via.task ? `the task of ${via.task.tool} (answered with tasks/update)` : via.request ? describeOrigin(via.request) : 'a request of this server';
  return `asked by ${by} · input ${via.key}`;
}

/** "tools/call ask-name, round 2". */
export function describeOrigin(origin: InputOrigin): string {
  return `${origin.method}${origin.target ? ` ${origin.target}` : ''}${origin.round !== undefined ? `, round ${origin.round}` : ''}`;
}
