import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect, test } from '../support/test';
import { eventually, liveFixturePids, stdioFixture } from '../support/processes';
import { expectStatus, serverRow } from '../support/ui';

// A session runs on the catalog entry it was started from: editing or removing the server ends it, the list says
// why, and an edit asks first when it would disconnect anything.

test('editing a connected server asks first, may be cancelled, and then closes its session with the reason shown', async ({ launch }) => {
  const app = await launch([stdioFixture('editable')]);
  const { page } = app;
  await page.getByRole('button', { name: 'Connect editable', exact: true }).click();
  await expectStatus(page, 'editable', 'ready');
  const [session] = await app.sessions();
  const pid = session!.pid!;

  const detail = page.getByRole('region', { name: 'Server editable' });
  const openEdit = async () => {
    await serverRow(page, 'editable').click();
    await detail.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit server' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Environment', { exact: true }).fill('FIXTURE_NAME=edited-server');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog.getByRole('alert')).toHaveText(/Saving disconnects 1 live session of editable\./);
    return dialog;
  };

  // Going back saves nothing and leaves the session alone.
  let dialog = await openEdit();
  await dialog.getByRole('button', { name: 'Keep editing', exact: true }).click();
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expectStatus(page, 'editable', 'ready');
  expect((await app.sessions()).map((live) => live.id)).toEqual([session!.id]);

  dialog = await openEdit();
  await dialog.getByRole('button', { name: 'Save and disconnect', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expectStatus(page, 'editable', 'disconnected');
  await expect(serverRow(page, 'editable')).toContainText('Closed: Its catalog entry changed (it was edited; connect again to use the new settings)');
  await expect.poll(() => app.sessions()).toEqual([]);
  await eventually(() => !liveFixturePids().includes(pid), `the child ${pid} to end`);

  // Connecting again uses the new settings.
  await page.getByRole('button', { name: 'Connect editable', exact: true }).click();
  await expectStatus(page, 'editable', 'ready');
  await expect(serverRow(page, 'editable')).toContainText('edited-server');
});

test('removing a connected server ends its sessions (of the page and of another client) and their child processes', async ({ launch }) => {
  const app = await launch([stdioFixture('doomed'), stdioFixture('survivor')]);
  const { page } = app;
  await page.getByRole('button', { name: 'Connect doomed', exact: true }).click();
  await page.getByRole('button', { name: 'Connect survivor', exact: true }).click();
  await expectStatus(page, 'doomed', 'ready');
  await expectStatus(page, 'survivor', 'ready');
  // Another MCP client (an editor, a script) uses the same server through the proxy.
  const other = new Client({ name: 'other-client', version: '0' });
  await other.connect(new StreamableHTTPClientTransport(new URL(`${app.proxyUrl}/servers/doomed/mcp`), { requestInit: { headers: { Authorization: `Bearer ${app.token}` } } }));
  const sessions = await app.sessions();
  const doomedPids = sessions.filter((live) => live.server === 'doomed').map((live) => live.pid!);
  const survivorPid = sessions.find((live) => live.server === 'survivor')!.pid!;
  expect(doomedPids).toHaveLength(2);
  expect(liveFixturePids()).toEqual(expect.arrayContaining([...doomedPids, survivorPid]));

  await serverRow(page, 'doomed').click();
  await page.getByRole('region', { name: 'Server doomed' }).getByRole('button', { name: 'Remove', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove server' });
  await expect(confirm).toContainText('Its 2 live sessions close and their processes end.');
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(serverRow(page, 'doomed')).toHaveCount(0);

  await eventually(() => doomedPids.every((pid) => !liveFixturePids().includes(pid)), `the removed server's children ${doomedPids.join(', ')} to be gone from the process list`);
  await expect.poll(async () => (await app.sessions()).map((live) => live.server)).toEqual(['survivor']);
  await other.close();
  expect(liveFixturePids()).toContain(survivorPid);
  await expectStatus(page, 'survivor', 'ready');
});
