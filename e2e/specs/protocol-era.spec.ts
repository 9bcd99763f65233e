import type { Page } from '@playwright/test';
import { modernStdioFixture, startModernRemoteFixture, stdioFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { expectStatus, serverRow } from '../support/ui';

// Each server's protocol era setting (Auto, Modern, Legacy), and the era and version the row and the Info tab show.
// The legacy fixture (SDK 1.x) knows only initialize; the dual-era fixture (SDK 2.x) answers server/discover too.

/** Sets a server's protocol era in its Edit form and saves it. */
async function setEra(page: Page, server: string, era: 'Auto' | 'Modern (2026-07-28)' | 'Legacy (2025-11-25 and earlier)'): Promise<void> {
  await serverRow(page, server).click();
  await page.getByRole('region', { name: `Server ${server}` }).getByRole('button', { name: 'Edit', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit server' });
  const select = dialog.getByLabel('Protocol era');
  await expect(select).toHaveValue('auto');
  await expect(select).toHaveAccessibleDescription(/server\/discover first and falls back to initialize/);
  await select.selectOption({ label: era });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
}

test('Auto falls back to initialize with a legacy-only server: the row and Info say legacy and the version in use', async ({ launch }) => {
  const { page } = await launch([stdioFixture('legacy')]);
  await page.getByRole('button', { name: 'Connect legacy', exact: true }).click();
  await expectStatus(page, 'legacy', 'ready');
  await expect(serverRow(page, 'legacy').getByTestId('row-era')).toHaveText('legacy · 2025-11-25');

  await serverRow(page, 'legacy').click();
  const info = page.getByRole('region', { name: 'Inspector for legacy' }).getByRole('tabpanel', { name: 'Info' });
  await expect(info.getByRole('definition').filter({ hasText: 'Legacy (session, from initialize)' })).toBeVisible();
  await expect(info.getByRole('definition').filter({ hasText: '2025-11-25' })).toBeVisible();
  await expect(info.getByTestId('discover-result')).toHaveCount(0);
});

test('Modern pinned against a legacy-only server fails in words, and Legacy pinned connects it', async ({ launch }) => {
  const { page } = await launch([stdioFixture('legacy')]);
  await setEra(page, 'legacy', 'Modern (2026-07-28)');
  await page.getByRole('button', { name: 'Connect legacy', exact: true }).click();
  await expectStatus(page, 'legacy', 'error');
  await expect(page.getByRole('region', { name: 'Server legacy' }).getByRole('alert')).toContainText(
    'The server does not speak the modern protocol (2026-07-28): it did not answer server/discover with that version, so it only speaks the legacy protocol (initialize). Set its protocol era to Auto or Legacy in Edit.',
  );

  // The setting is kept, and Legacy connects without asking server/discover at all.
  await page.getByRole('region', { name: 'Server legacy' }).getByRole('button', { name: 'Edit', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit server' });
  await expect(dialog.getByLabel('Protocol era')).toHaveValue('modern');
  await dialog.getByLabel('Protocol era').selectOption({ label: 'Legacy (2025-11-25 and earlier)' });
  await expect(dialog.getByLabel('Protocol era')).toHaveAccessibleDescription(/Always starts with initialize/);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Connect legacy', exact: true }).click();
  await expectStatus(page, 'legacy', 'ready');
  await expect(serverRow(page, 'legacy').getByTestId('row-era')).toHaveText('legacy · 2025-11-25');
});

test('Auto speaks the modern era to a server that answers server/discover: the row says modern, Info shows its answer', async ({ launch }) => {
  const { page } = await launch([modernStdioFixture('modern')]);
  await page.getByRole('button', { name: 'Connect modern', exact: true }).click();
  await expectStatus(page, 'modern', 'ready');
  const row = serverRow(page, 'modern');
  await expect(row.getByTestId('row-era')).toHaveText('modern · 2026-07-28');
  await expect(row.getByTitle('serverInfo')).toHaveText(/^patchbay-modern-fixture /);

  await row.click();
  const inspector = page.getByRole('region', { name: 'Inspector for modern' });
  const info = inspector.getByRole('tabpanel', { name: 'Info' });
  await expect(info.getByRole('definition').filter({ hasText: 'Modern (stateless, from server/discover)' })).toBeVisible();
  await expect(info.getByTestId('supported-versions')).toContainText('2026-07-28');
  await expect(info.getByRole('definition').filter({ hasText: /^patchbay-modern-fixture$/ })).toBeVisible();
  await expect(info.getByRole('region', { name: 'Extensions' })).toContainText('io.modelcontextprotocol/tasks');
  await expect(info.getByTestId('discover-result')).toContainText('"supportedVersions"');
  // 2026-07-28 has no ping and no logging/setLevel: the header says so instead of offering them.
  await expect(inspector.getByRole('button', { name: 'Ping', exact: true })).toHaveCount(0);
  await expect(inspector.getByText('No ping or logging/setLevel in 2026-07-28: choose a log level per request in Request options.')).toBeVisible();

  // The connection is usable in that era: a tool call answers.
  await inspector.getByRole('tab', { name: 'Tools' }).click();
  const tools = inspector.getByRole('tabpanel', { name: 'Tools' });
  await tools.getByRole('region', { name: 'Tools', exact: true }).getByRole('button', { name: /^echo( |$)/ }).click();
  const echo = tools.getByRole('article', { name: 'Tool echo' });
  await echo.getByLabel('text', { exact: true }).fill('over discover');
  await echo.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(echo.getByTestId('tool-result')).toContainText('echo: over discover');
});

test('Legacy pinned speaks initialize to a server that also knows the modern era', async ({ launch }) => {
  const { page } = await launch([{ ...modernStdioFixture('modern'), protocolEra: 'legacy' as const }]);
  await page.getByRole('button', { name: 'Connect modern', exact: true }).click();
  await expectStatus(page, 'modern', 'ready');
  await expect(serverRow(page, 'modern').getByTestId('row-era')).toHaveText('legacy · 2025-11-25');
  await serverRow(page, 'modern').click();
  const info = page.getByRole('region', { name: 'Inspector for modern' }).getByRole('tabpanel', { name: 'Info' });
  await expect(info.getByRole('definition').filter({ hasText: 'Legacy (session, from initialize)' })).toBeVisible();
  await expect(info.getByTestId('discover-result')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Inspector for modern' }).getByRole('button', { name: 'Ping', exact: true })).toBeVisible();
});

test('Auto speaks the modern era to a remote Streamable HTTP server through the proxy, and Modern pinned too', async ({ launch }) => {
  const remote = await startModernRemoteFixture();
  try {
    const url = remote.url.href;
    const { page } = await launch([
      { name: 'remote auto', transport: 'streamable-http', url, headers: {} },
      { name: 'remote pinned', transport: 'streamable-http', url, headers: {}, protocolEra: 'modern' as const },
    ]);
    await page.getByRole('button', { name: 'Connect remote auto', exact: true }).click();
    await page.getByRole('button', { name: 'Connect remote pinned', exact: true }).click();
    for (const name of ['remote auto', 'remote pinned']) {
      await expectStatus(page, name, 'ready');
      await expect(serverRow(page, name).getByTestId('row-era')).toHaveText('modern · 2026-07-28');
    }
    await serverRow(page, 'remote pinned').click();
    const info = page.getByRole('region', { name: 'Inspector for remote pinned' }).getByRole('tabpanel', { name: 'Info' });
    await expect(info.getByTestId('supported-versions')).toContainText('2026-07-28');
  } finally {
    await remote.stop();
  }
});
