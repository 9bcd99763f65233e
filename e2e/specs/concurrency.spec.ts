import { expect, test } from '../support/test';
import { eventually, liveFixturePids, stdioFixture } from '../support/processes';
import { expectStatus, statuses } from '../support/ui';

const twenty = Array.from({ length: 20 }, (_, index) => stdioFixture(`server ${String(index + 1).padStart(2, '0')}`));

test('Connect all brings 20 STDIO servers to ready; Disconnect all leaves no child', async ({ launch }) => {
  const app = await launch(twenty);
  const { page } = app;
  await page.getByRole('button', { name: 'Connect all', exact: true }).click();
  for (const entry of twenty) await expectStatus(page, entry.name, 'ready', 60_000);
  const sessions = await app.sessions();
  expect(sessions).toHaveLength(20);
  expect(new Set(sessions.map((session) => session.pid)).size).toBe(20);
  expect(liveFixturePids()).toHaveLength(20);

  await page.getByRole('button', { name: 'Disconnect all', exact: true }).click();
  for (const entry of twenty) await expectStatus(page, entry.name, 'disconnected');
  await expect.poll(() => app.sessions()).toEqual([]);
  await eventually(() => liveFixturePids().length === 0, 'every child to exit');
});

test('Connect all / Disconnect all five times in quick succession ends in the state last asked for', async ({ launch }) => {
  // Up to 220 server processes start here, each about 0.35 s of CPU (the SDK's import): on a 2-core machine the
  // clicks alone take minutes under load, which is the point of the test, not a sign of a hang.
  test.setTimeout(300_000);
  const app = await launch(twenty);
  const { page } = app;
  const connectAll = page.getByRole('button', { name: 'Connect all', exact: true });
  const disconnectAll = page.getByRole('button', { name: 'Disconnect all', exact: true });
  for (let round = 0; round < 5; round += 1) {
    await connectAll.click();
    await disconnectAll.click();
  }
  await connectAll.click();
  for (const entry of twenty) await expectStatus(page, entry.name, 'ready', 90_000);
  await expect.poll(async () => (await app.sessions()).length, { timeout: 30_000 }).toBe(20);
  expect(liveFixturePids()).toHaveLength(20);

  for (let round = 0; round < 5; round += 1) {
    await disconnectAll.click();
    await connectAll.click();
  }
  await disconnectAll.click();
  await expect.poll(() => statuses(page), { timeout: 90_000 }).toEqual(Object.fromEntries(twenty.map((entry) => [entry.name, 'disconnected'])));
  await expect.poll(() => app.sessions(), { timeout: 30_000 }).toEqual([]);
  await eventually(() => liveFixturePids().length === 0, 'every child to exit');
});

test('closing the window in the middle of 20 connects leaves no child', async ({ launch }) => {
  const app = await launch(twenty);
  await app.page.getByRole('button', { name: 'Connect all', exact: true }).click();
  await eventually(async () => liveFixturePids().length >= 5, 'a few children to start');
  await app.closeWindow();
  await eventually(() => liveFixturePids().length === 0, `every child to exit (left: ${liveFixturePids().join(', ')})`, 30_000);
  if (app.kind === 'web') await expect.poll(() => app.sessions(), { timeout: 30_000 }).toEqual([]);
});
