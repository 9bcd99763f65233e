import type { Browser, Page } from '@playwright/test';
import type { PatchbayHost } from '../support/patchbay-host';
import { eventually, stdioFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { callTool, expectStatus, openInspector, serverRow } from '../support/ui';

// Two windows on one Patchbay (web mode: two browser tabs with the token). Each window drives servers through its
// own sessions; the other window sees them as "connected in another window" and can open its own with Open here.

/** A second window: a new browser context on the same app URL, token included. */
async function secondWindow(browser: Browser, app: PatchbayHost): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app.proxyUrl}/#token=${app.token}`);
  await expect(serverRow(page, 'fixture')).toBeVisible();
  return page;
}

async function callEcho(page: Page, text: string): Promise<void> {
  await callTool(await openInspector(page, 'fixture'), 'echo', { text }, `echo: ${text}`);
}

test('a second window shows the first one’s live session and can open its own to drive the server; each Disconnect ends its own', async ({ launch, browser }) => {
  const app = await launch([stdioFixture('fixture')]);
  const first = app.page;
  await first.getByRole('button', { name: 'Connect fixture', exact: true }).click();
  await expectStatus(first, 'fixture', 'ready');
  const [session] = await app.sessions();

  // The second window sees it, with its session id and pid, and offers Open here.
  const second = await secondWindow(browser, app);
  const row = serverRow(second, 'fixture');
  await expect(row.getByRole('status')).toContainText('connected in another window');
  await expect(row.getByRole('status')).toContainText(`pid ${session!.pid}`);
  await row.click();
  await expect(second.getByTestId('session-elsewhere')).toContainText(session!.id);
  await second.getByRole('button', { name: 'Open fixture here', exact: true }).click();
  await expectStatus(second, 'fixture', 'ready');
  await expect(row.getByRole('status')).toHaveCount(0);
  await expect.poll(async () => new Set((await app.sessions()).map((live) => live.owner)).size).toBe(2);

  // Both drive it, each through its own session.
  await callEcho(second, 'from the second window');
  await callEcho(first, 'from the first window');

  // Disconnect in the first window ends only its session: the second still drives the server.
  await first.getByRole('button', { name: 'Disconnect fixture', exact: true }).click();
  await expect(serverRow(first, 'fixture').getByRole('status')).toContainText('connected in another window');
  await expect.poll(async () => (await app.sessions()).length).toBe(1);
  await callEcho(second, 'still here');
  await second.context().close();
  await expectStatus(first, 'fixture', 'disconnected');
  await expect(serverRow(first, 'fixture').getByRole('status')).toHaveCount(0);
  await expect.poll(async () => (await app.sessions()).length).toBe(0);
});

test('both windows pressing Connect at once each get a session; a window closed mid-connect leaves nothing behind', async ({ launch, browser }) => {
  const app = await launch([stdioFixture('fixture')]);
  const first = app.page;
  const second = await secondWindow(browser, app);
  await Promise.all([
    serverRow(first, 'fixture').getByRole('button', { name: /^(Connect fixture|Open fixture here)$/ }).click(),
    serverRow(second, 'fixture').getByRole('button', { name: /^(Connect fixture|Open fixture here)$/ }).click(),
  ]);
  await expectStatus(first, 'fixture', 'ready');
  await expectStatus(second, 'fixture', 'ready');
  await expect.poll(async () => (await app.sessions()).filter((live) => live.state === 'ready').length).toBe(2);
  await callEcho(first, 'one');
  await callEcho(second, 'two');

  // The second window disconnects, connects again and is closed while that connect is under way.
  await second.getByRole('button', { name: 'Disconnect fixture', exact: true }).click();
  await expectStatus(second, 'fixture', 'disconnected');
  await second.getByRole('button', { name: 'Open fixture here', exact: true }).click();
  await second.context().close();
  // Only the first window's session is left, still driven from there.
  await eventually(async () => (await app.sessions()).length === 1, 'the closed window’s session to end', 30_000);
  await callEcho(first, 'three');
  await expect(serverRow(first, 'fixture').getByRole('status')).toHaveCount(0);
});
