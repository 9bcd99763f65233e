import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { headlessOpener } from './browser-openers';
import { LoopbackReceiver } from './loopback-receiver';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** An authorization endpoint on 127.0.0.1: `approve` redirects back at once, else it shows a sign-in page. */
async function authorizationEndpoint(approve: boolean): Promise<string> {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!approve) return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>Sign in</h1><form></form></body></html>');
    const back = new URL(url.searchParams.get('redirect_uri')!);
    back.searchParams.set('code', 'the-code');
    back.searchParams.set('state', url.searchParams.get('state')!);
    response.writeHead(302, { location: back.href }).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/authorize`;
}

describe('the headless opener', () => {
  it('follows the redirects to the loopback receiver, which gets the code', async () => {
    const receiver = await LoopbackReceiver.start();
    const endpoint = await authorizationEndpoint(true);
    const waiting = receiver.wait('s1', 10_000);
    const opened = headlessOpener()(`${endpoint}?redirect_uri=${encodeURIComponent(receiver.redirectUri)}&state=s1`);
    const params = await waiting;
    receiver.answer(true, 'signed in');
    await opened;
    expect(params).toMatchObject({ code: 'the-code', state: 's1' });
  });

  it("fails on an authorization server's sign-in page on a loopback address, which is not the receiver", async () => {
    const receiver = await LoopbackReceiver.start();
    const endpoint = await authorizationEndpoint(false);
    await expect(headlessOpener()(`${endpoint}?redirect_uri=${encodeURIComponent(receiver.redirectUri)}&state=s1`)).rejects.toThrow(/answered HTTP 200 .* without redirecting back: Sign in/);
    receiver.close();
  });
});
