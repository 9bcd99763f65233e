import { expect, test } from '../support/test';
import { eventually, liveFixturePids, stdioFixture } from '../support/processes';
import { expectStatus } from '../support/ui';

// The idle timeout is the app's one setting: a quiet session, and its server process, end after it.

test('the idle timeout is set in Settings, refuses what is not a number of seconds, and ends quiet sessions after it', async ({ launch }) => {
  const app = await launch([stdioFixture('quiet')]);
  const { page } = app;

  await page.getByRole('button', { name: 'Settings…', exact: true }).click();
  let dialog = page.getByRole('dialog', { name: 'Settings' });
  const field = dialog.getByLabel('Close a session after this many seconds without a message (0: never)');
  await expect(field).toHaveValue('1800');
  await expect(dialog.getByText('Quiet sessions close, and their server processes end, after 30 min. The default is 30 min.')).toBeVisible();
  await expect(field).toBeFocused();

  await field.fill('-5');
  await expect(dialog.getByText('Give a number of seconds from 0 (never) to 604800 (a week).')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();

  await field.fill('3');
  await expect(dialog.getByText('Quiet sessions close, and their server processes end, after 3 s. The default is 30 min.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Connect quiet', exact: true }).click();
  await expectStatus(page, 'quiet', 'ready');
  const [session] = await app.sessions();
  expect(session?.pid).toBeGreaterThan(0);
  // Nothing is said for 3 s: the proxy closes the session and ends its server.
  await eventually(async () => (await app.sessions()).every((live) => live.id !== session!.id), 'the quiet session to be closed', 20_000);
  await eventually(() => !liveFixturePids().includes(session!.pid!), 'its server process to end', 15_000);
  await expect(page.getByRole('region', { name: 'Server quiet' })).toContainText('no message for 3 s');

  // The setting was saved: it is what the dialog shows next time.
  await page.getByRole('button', { name: 'Settings…', exact: true }).click();
  dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByLabel('Close a session after this many seconds without a message (0: never)')).toHaveValue('3');
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog).toBeHidden();
});
