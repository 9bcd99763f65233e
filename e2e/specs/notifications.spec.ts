import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../support/test';
import { dropFiles } from '../support/drop';
import { E2E_TAG, FIXTURE_SERVER, stdioFixture } from '../support/processes';
import { serverRow } from '../support/ui';

// Notifications: results fade (not while under the pointer), stay in the Notifications list with their time, errors
// stay until dismissed; and a dialog that opens by itself (an import preview) never stacks on one that is open.

const oneServer = {
  name: 'claude_desktop_config.json',
  text: JSON.stringify({ mcpServers: { weather: { command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG] } } }),
};
// Over the 5 MiB a dropped file may have: the import fails before any preview.
const tooLarge = { name: 'huge.json', text: `{"mcpServers":{},"pad":"${'x'.repeat(5 * 1024 * 1024 + 10)}"}` };

test('results fade but stay in the Notifications list; errors stay until dismissed', async ({ launch }, testInfo) => {
  const app = await launch([stdioFixture('existing')]);
  const { page } = app;
  await expect(serverRow(page, 'existing')).toBeVisible();

  await dropFiles(page, [oneServer]);
  const preview = page.getByRole('dialog', { name: 'Import servers' });
  await preview.getByRole('button', { name: 'Import 1 server' }).click();
  await expect(preview).toBeHidden();
  const done = page.getByRole('status').getByText('Import done: added "weather".');
  await expect(done).toBeVisible();
  await expect(page.getByRole('button', { name: 'Notifications 1 new' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('toast-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('toast-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // Under the pointer it does not fade, nor while the keyboard focus is on it; once both have left it does.
  await done.hover();
  await page.waitForTimeout(7000);
  await expect(done).toBeVisible();
  await page.getByRole('button', { name: 'Dismiss: Import done: added "weather".' }).focus();
  await page.mouse.move(5, 300);
  await page.waitForTimeout(7000);
  await expect(done).toBeVisible();
  await page.getByRole('button', { name: 'Add server', exact: true }).focus();
  await expect(done).toBeHidden({ timeout: 20_000 });

  // An error stays, announced as an alert, until dismissed.
  await dropFiles(page, [tooLarge]);
  const failed = page.getByRole('alert').filter({ hasText: 'Import failed' });
  await expect(failed).toContainText('at most 5 MiB');
  await page.screenshot({ path: testInfo.outputPath('toast-error-light.png') });
  await page.waitForTimeout(8000);
  await expect(failed).toBeVisible();
  await failed.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(failed).toBeHidden();

  // Both are in the list, newest first, with their times; Clear empties it.
  await page.getByRole('button', { name: /^Notifications/ }).click();
  const list = page.getByRole('region', { name: 'Notifications' });
  const items = list.getByRole('listitem');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText('Import failed');
  await expect(items.nth(0)).toContainText('error');
  await expect(items.nth(1)).toContainText('Import done: added "weather".');
  await expect(items.nth(1).locator('time')).toHaveText(/^\d\d:\d\d:\d\d/);
  await expect(page.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('notifications-list-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await list.getByRole('button', { name: 'Clear' }).click();
  await expect(list).toContainText('No notifications.');
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
});

test('a config file dropped while Export is open waits for it to close: two dialogs never stack', async ({ launch }) => {
  const app = await launch([stdioFixture('existing')]);
  const { page } = app;
  await page.getByRole('button', { name: 'Export…', exact: true }).click();
  const exporting = page.getByRole('dialog', { name: 'Export servers' });
  await expect(exporting).toBeVisible();

  await dropFiles(page, [oneServer]);
  await expect(page.getByRole('status').getByText('The import preview opens when you close the dialog that is open now.')).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(1);
  await expect(exporting).toBeVisible();

  await exporting.getByRole('button', { name: 'Close', exact: true }).click();
  const preview = page.getByRole('dialog', { name: 'Import servers' });
  await expect(preview).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(1);
  await preview.getByRole('button', { name: 'Import 1 server' }).click();
  await expect(serverRow(page, 'weather')).toBeVisible();
});

test('app-wide states are notifications: an unreadable catalog stays until dismissed, a lost link is an error until it is back, then Reconnected fades', async ({ launch }) => {
  const app = await launch([stdioFixture('existing')]);
  // A catalog Patchbay cannot read: the next start keeps it aside and says so.
  writeFileSync(join(app.dataDir, 'catalog.json'), '{ "version": 1, "servers": [ oops');
  await app.restart();
  const { page } = app;
  const unreadable = page.getByRole('alert').filter({ hasText: 'The saved catalog could not be read.' });
  await expect(unreadable).toContainText('not valid JSON');
  await page.waitForTimeout(7000);
  await expect(unreadable).toBeVisible();
  await unreadable.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(unreadable).toBeHidden();

  // Patchbay's process restarts under the open page: while it is away the lost link is an error that stays; once
  // it is back the error leaves the screen and a fading Reconnected says so.
  const restarted = app.restartServerUnderPage();
  const lost = page.getByRole('alert').filter({ hasText: 'Lost the connection to Patchbay' });
  await expect(lost).toBeVisible();
  await restarted;
  const back = page.getByRole('status').getByText('Reconnected to Patchbay.');
  await expect(back).toBeVisible({ timeout: 60_000 });
  await expect(lost).toBeHidden();
  await expect(back).toBeHidden({ timeout: 20_000 });

  // All three are in the list, newest first.
  await page.getByRole('button', { name: /^Notifications/ }).click();
  const items = page.getByRole('region', { name: 'Notifications' }).getByRole('listitem');
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toContainText('Reconnected to Patchbay.');
  await expect(items.nth(1)).toContainText('Lost the connection to Patchbay');
  await expect(items.nth(2)).toContainText('The saved catalog could not be read.');
});
