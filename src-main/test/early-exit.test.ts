import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src-shared/catalog';
import { CLIENT_TRANSPORTS } from '../../src-shared/catalog';
import { connectClient, expectNothingLeft, startTestProxy, waitFor, type TestProxy } from './helpers';

// Servers that exit at once with a reason on stderr, as a server with a bad config does.
const entries: ServerEntry[] = [
  { name: 'node-boom', transport: 'stdio', command: process.execPath, args: ['-e', "console.error('boom: bad config'); process.exit(3)"], env: {} },
  // The race: the shell closes its stdin at once, so the proxy's initialize write fails with EPIPE a moment
  // before the child's exit is known.
  { name: 'shell-boom', transport: 'stdio', command: '/bin/sh', args: ['-c', 'exec 0<&-; echo "boom: bad config" >&2; sleep 0.3; exit 3'], env: {} },
];

let proxy: TestProxy;

beforeAll(async () => {
  proxy = await startTestProxy(entries, { session: { closingGraceMs: 300 } });
});

afterAll(async () => {
  await proxy?.close();
});

afterEach(async () => {
  await expectNothingLeft(proxy);
});

const EXIT_REASON = /the server process of "(node|shell)-boom" ended: exited with code 3; last stderr: boom: bad config/;

describe.each(CLIENT_TRANSPORTS)('a server that exits at once, over %s', (kind) => {
  it.each(['node-boom', 'shell-boom'])('%s: the initialize error and the close reason give its exit code and stderr, not EPIPE', async (server) => {
    // Several rounds, since which of the write failure and the exit comes first is up to the scheduler.
    for (let round = 0; round < 4; round += 1) {
      const before = proxy.events.at(-1)?.seq ?? 0;
      const failure = await connectClient(proxy, server, kind).then(
        () => 'connected',
        (error: Error) => error.message,
      );
      expect(failure).toMatch(EXIT_REASON);
      expect(failure).not.toContain('EPIPE');
      const closedEvent = () => proxy.events.find((event) => event.seq > before && event.type === 'session-closed');
      await waitFor(() => closedEvent() !== undefined, 'the session to close');
      const closed = closedEvent();
      expect(closed).toMatchObject({ reason: 'child-exited', exitCode: 3, detail: 'exited with code 3; last stderr: boom: bad config' });
    }
  });
});
