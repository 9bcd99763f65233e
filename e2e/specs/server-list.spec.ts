import { expect, test } from '../support/test';
import { FIXTURE_SERVER, E2E_TAG, startRemoteFixture, stdioFixture } from '../support/processes';
import { addServer, expectStatus, serverRow } from '../support/ui';

test('add a STDIO server through the form, connect it, see it ready with its name and version, and see its stderr', async ({ launch }) => {
  const app = await launch();
  const { page } = app;
  await addServer(page, { name: 'my fixture', transport: 'stdio', command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG], env: ['FIXTURE_NAME=hello-server'] });
  await expectStatus(page, 'my fixture', 'disconnected');

  await page.getByRole('button', { name: 'Connect my fixture', exact: true }).click();
  await expectStatus(page, 'my fixture', 'ready');
  const row = serverRow(page, 'my fixture');
  await expect(row).toContainText('hello-server');
  await expect(row).toContainText('1.2.3');

  await row.click();
  const detail = page.getByRole('region', { name: 'Server my fixture' });
  await expect(detail.getByRole('log', { name: 'stderr of my fixture' })).toContainText('hello-server started');
  const sessions = await app.sessions();
  expect(sessions).toHaveLength(1);
  expect(sessions[0]).toMatchObject({ server: 'my fixture', state: 'ready', serverInfo: { name: 'hello-server', version: '1.2.3' } });
  await expect(row).toContainText(String(sessions[0]!.pid));

  await page.getByRole('button', { name: 'Disconnect my fixture', exact: true }).click();
  await expectStatus(page, 'my fixture', 'disconnected');
  await expect.poll(() => app.sessions()).toEqual([]);
});

test('connects a remote Streamable HTTP server and a remote SSE server', async ({ launch }) => {
  const remote = await startRemoteFixture();
  try {
    const app = await launch();
    const { page } = app;
    await addServer(page, { name: 'remote http', transport: 'streamable-http', url: `http://127.0.0.1:${remote.port}/mcp` });
    await addServer(page, { name: 'remote sse', transport: 'sse', url: `http://127.0.0.1:${remote.port}/sse` });
    await page.getByRole('button', { name: 'Connect remote http', exact: true }).click();
    await page.getByRole('button', { name: 'Connect remote sse', exact: true }).click();
    await expectStatus(page, 'remote http', 'ready');
    await expectStatus(page, 'remote sse', 'ready');
    await expect(serverRow(page, 'remote http')).toContainText('patchbay-fixture');
    await expect(serverRow(page, 'remote sse')).toContainText('patchbay-fixture');
    const sessions = await app.sessions();
    expect(sessions.map((session) => session.upstreamTransport).sort()).toEqual(['sse', 'streamable-http']);
  } finally {
    await remote.stop();
  }
});

test('a server whose command does not exist shows a readable error while 19 others connect', async ({ launch }) => {
  const catalog = [
    ...Array.from({ length: 19 }, (_, index) => stdioFixture(`fixture ${String(index + 1).padStart(2, '0')}`)),
    { name: 'broken', transport: 'stdio' as const, command: 'patchbay-no-such-command', args: [], env: {} },
  ];
  const app = await launch(catalog);
  const { page } = app;
  await page.getByRole('button', { name: 'Connect all', exact: true }).click();
  await expectStatus(page, 'broken', 'error');
  for (const entry of catalog.slice(0, 19)) await expectStatus(page, entry.name, 'ready', 60_000);

  await serverRow(page, 'broken').click();
  const alert = page.getByRole('region', { name: 'Server broken' }).getByRole('alert');
  await expect(alert).toContainText('patchbay-no-such-command');
  await expect(alert).toContainText('was not found');
  await expect(alert).toContainText('PATH');
});

test('restarting the app keeps the catalog', async ({ launch }) => {
  const app = await launch();
  await addServer(app.page, { name: 'kept', transport: 'stdio', command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG] });
  await addServer(app.page, { name: 'kept remote', transport: 'sse', url: 'http://127.0.0.1:9/sse', headers: ['X-Team: core'] });
  await app.restart();
  await expect(serverRow(app.page, 'kept')).toBeVisible();
  await expect(serverRow(app.page, 'kept remote')).toBeVisible();
  await app.page.getByRole('button', { name: 'Connect kept', exact: true }).click();
  await expectStatus(app.page, 'kept', 'ready');
});
