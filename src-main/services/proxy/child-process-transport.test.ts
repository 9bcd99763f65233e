import type { Writable } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../test/processes';
import { ChildExitedError, ChildProcessTransport } from './child-process-transport';

/** A server that stops reading at once (its stdin closed, so writes to it get EPIPE) and exits with code 3 a little later. */
const CLOSES_STDIN_THEN_EXITS = "require('node:fs').closeSync(0); console.error('stdin closed'); setTimeout(() => process.exit(3), 1500);";

const ping = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, method: 'ping' });

/** The child's stdin, which the transport keeps to itself: the test's precondition is that it broke. */
function stdinOf(transport: ChildProcessTransport): Writable {
  return (transport as unknown as { child: { stdin: Writable } }).child.stdin;
}

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 1000; tries += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('ChildProcessTransport', () => {
  it('a send after the child’s stdin broke waits for the exit and names it, instead of a bare "Not connected"', async () => {
    let stdinClosed = false;
    const transport = new ChildProcessTransport({
      command: process.execPath,
      args: ['-e', CLOSES_STDIN_THEN_EXITS],
      env: process.env,
      maxMessageBytes: 1024 * 1024,
      killGraceMs: 1_000,
      onStderrLine: (line) => (stdinClosed ||= line === 'stdin closed'),
    });
    await transport.start();
    const pid = transport.pid!;
    try {
      await waitUntil(() => stdinClosed, 'the child closed its stdin');
      // The first write goes out before the pipe is known to be broken; its EPIPE is what breaks stdin.
      await transport.send(ping(1));
      await waitUntil(() => !stdinOf(transport).writable, 'the child’s stdin broke');
      expect(transport.exit).toBeUndefined();

      const failure = await transport.send(ping(2)).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ChildExitedError);
      expect((failure as ChildExitedError).message).toBe('the server process exited with code 3 before it read the message');
      expect((failure as ChildExitedError).exit).toEqual({ code: 3, signal: null });
    } finally {
      await transport.close();
    }
    expect(isAlive(pid)).toBe(false);
  });
});
