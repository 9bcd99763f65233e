import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { startSocketFixture } from '../../src-main/test/processes';
import { dropFiles } from '../support/drop';
import { E2E_TAG } from '../support/processes';
import { expect, test } from '../support/test';
import { addServer, callTool, expectStatus, openInspector, serverRow } from '../support/ui';

// Servers on a Unix domain socket, written as VS Code writes them (microsoft/vscode pull request 268488): the url's
// path is the socket, its fragment the HTTP path. The fixture server listens on a socket in a temp folder.

/** The server's detail shows its url as written. */
async function expectUrlShown(page: Page, name: string, url: string): Promise<void> {
  await serverRow(page, name).click();
  await expect(page.getByRole('region', { name: `Server ${name}` })).toContainText(url);
}

async function callEcho(page: Page, name: string, text: string): Promise<Locator> {
  await page.getByRole('button', { name: `Connect ${name}`, exact: true }).click();
  await expectStatus(page, name, 'ready');
  return callTool(await openInspector(page, name), 'echo', { text }, `echo: ${text}`);
}

test('add a unix:// server in the form and import one from a VS Code mcp.json; both connect, list tools and call one', async ({ launch }) => {
  const folder = await mkdtemp(join(tmpdir(), 'patchbay-e2e-socket-'));
  const socket = join(folder, 'fixture.sock');
  const fixture = await startSocketFixture(E2E_TAG, socket);
  try {
    const app = await launch();
    const { page } = app;
    await addServer(page, { name: 'socket http', transport: 'streamable-http', url: `unix://${socket}#/mcp` });
    await expectUrlShown(page, 'socket http', `unix://${socket}#/mcp`);
    await callEcho(page, 'socket http', 'over the socket');

    await dropFiles(page, [{ name: 'mcp.json', text: JSON.stringify({ servers: { 'socket sse': { type: 'sse', url: `unix://${socket}#/sse` } } }, null, 2) }]);
    const preview = page.getByRole('dialog', { name: 'Import servers' });
    await expect(preview.locator('[data-testid="import-entry"][data-server="socket sse"]')).toContainText(`unix://${socket}#/sse`);
    await preview.getByRole('button', { name: 'Import 1 server' }).click();
    await expect(preview).toBeHidden();
    await callEcho(page, 'socket sse', 'over SSE on the socket');
    const sessions = await app.sessions();
    expect(sessions.map((session) => [session.server, session.upstreamTransport]).sort()).toEqual([
      ['socket http', 'streamable-http'],
      ['socket sse', 'sse'],
    ]);

    // A socket that is not there says so, with its path.
    await addServer(page, { name: 'socket gone', transport: 'streamable-http', url: `unix://${join(folder, 'gone.sock')}#/mcp` });
    await page.getByRole('button', { name: 'Connect socket gone', exact: true }).click();
    await expectStatus(page, 'socket gone', 'error');
    await serverRow(page, 'socket gone').click();
    await expect(page.getByRole('region', { name: 'Server socket gone' }).getByRole('alert')).toContainText(`the socket ${join(folder, 'gone.sock')} does not exist (ENOENT)`);

    // The url is kept as written: it comes back unchanged after a restart and in a VS Code export.
    await app.restart();
    await expectUrlShown(app.page, 'socket http', `unix://${socket}#/mcp`);
    await app.page.getByRole('button', { name: 'Export…' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Export servers' });
    await dialog.getByLabel('Format').selectOption('vscode');
    const text = dialog.getByLabel('Exported config');
    // The export is written after the format is picked: wait for it before reading.
    await expect(text).toContainText('"type": "sse"');
    const exported = JSON.parse((await text.textContent()) ?? '{}') as { servers: Record<string, { type: string; url: string }> };
    expect(exported.servers['socket http']).toEqual({ type: 'http', url: `unix://${socket}#/mcp` });
    expect(exported.servers['socket sse']).toEqual({ type: 'sse', url: `unix://${socket}#/sse` });
  } finally {
    await fixture.stop();
    await rm(folder, { recursive: true, force: true });
  }
});

test('the form says what is wrong with a socket url', async ({ launch }) => {
  const { page } = await launch();
  await page.getByRole('banner').getByRole('button', { name: 'Add server' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Name').fill('bad socket');
  await dialog.getByLabel('Transport').selectOption('streamable-http');
  await expect(dialog.getByText('unix:///path/to/server.sock#/mcp')).toBeVisible();
  await dialog.getByLabel('URL').fill('unix://tmp/app.sock#/mcp');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('URL')).toHaveAccessibleDescription(/names a host; a unix:\/\/ URL names a local socket: unix:\/\/\/path/);
});
