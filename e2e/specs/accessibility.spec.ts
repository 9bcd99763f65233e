import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { dropFiles } from '../support/drop';
import { E2E_TAG, FIXTURE_SERVER, stdioFixture } from '../support/processes';
import { expectStatus, serverRow } from '../support/ui';

// axe-core on every main view, in light and dark (the theme follows prefers-color-scheme): no serious or critical
// violation anywhere.

interface Found {
  view: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

async function audit(page: Page, view: string, found: Found[]): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  for (const violation of results.violations) {
    if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
    found.push({ view, rule: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')).slice(0, 5) });
  }
}

// A VS Code mcp.json whose server asks for a password and a pick list when it connects.
const vscodeInputsFile = {
  name: 'mcp.json',
  text: JSON.stringify({
    inputs: [
      { type: 'promptString', id: 'api-key', description: 'Fixture API key', password: true },
      { type: 'pickString', id: 'region', description: 'Region', options: ['eu', 'us', 'ap'], default: 'us' },
    ],
    servers: { vault: { type: 'stdio', command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG], env: { FIXTURE_KEY: '${input:api-key}', FIXTURE_REGION: '${input:region}' } } },
  }),
};

const importFile = {
  name: 'claude_desktop_config.json',
  text: JSON.stringify({ mcpServers: { weather: { command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG] } } }),
};

for (const colorScheme of ['light', 'dark'] as const) {
  test(`no serious or critical axe violation on any main view (${colorScheme})`, async ({ launch }) => {
    test.setTimeout(240_000);
    const found: Found[] = [];

    const empty = await launch([]);
    await empty.page.emulateMedia({ colorScheme });
    await expect(empty.page.getByRole('banner').getByRole('button', { name: 'Add server' })).toBeVisible();
    await audit(empty.page, 'empty state', found);

    const app = await launch([stdioFixture('fixture')]);
    const { page } = app;
    await page.emulateMedia({ colorScheme });
    await page.getByRole('button', { name: 'Connect fixture', exact: true }).click();
    await expectStatus(page, 'fixture', 'ready');
    await serverRow(page, 'fixture').click();
    const inspector = page.getByRole('region', { name: 'Inspector for fixture' });
    await expect(inspector).toBeVisible();
    await audit(page, 'server list, connected server (Info)', found);

    for (const tab of ['Tools', 'Resources', 'Prompts', 'Requests', 'Roots', 'Processes', 'Faults', 'Stress']) {
      await inspector.getByRole('tab', { name: tab }).click();
      const panel = inspector.getByRole('tabpanel', { name: tab });
      await expect(panel).toBeVisible();
      if (tab === 'Tools') {
        await panel.getByRole('button', { name: /^echo/ }).first().click();
        await expect(panel.getByRole('button', { name: 'Call', exact: true }).first()).toBeVisible();
      }
      if (tab === 'Processes') await expect(panel.getByTestId('process-row').first()).not.toHaveAttribute('data-rss-bytes', '', { timeout: 20_000 });
      if (tab === 'Resources') await panel.getByRole('region', { name: 'Resources', exact: true }).getByRole('button', { name: /^hello/ }).click();
      await audit(page, `inspector ${tab}`, found);
    }

    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect(page.getByRole('tab', { name: 'Timeline' })).toHaveAttribute('aria-selected', 'true');
    await audit(page, 'timeline', found);
    await page.getByRole('tab', { name: 'Servers' }).click();

    await page.getByRole('button', { name: 'Settings…', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
    await audit(page, 'settings dialog', found);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Export…', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Export servers' })).toContainText('mcpServers');
    await audit(page, 'export dialog', found);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Add server', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Add server' })).toBeVisible();
    await audit(page, 'add server dialog', found);
    await page.keyboard.press('Escape');

    await dropFiles(page, [importFile]);
    const preview = page.getByRole('dialog', { name: 'Import servers' });
    await expect(preview).toBeVisible();
    await audit(page, 'import preview', found);
    await preview.getByRole('button', { name: 'Import 1 server' }).click();
    await expect(page.getByRole('status').getByText('Import done')).toBeVisible();
    await page.getByRole('button', { name: /^Notifications/ }).click();
    await expect(page.getByRole('region', { name: 'Notifications' })).toBeVisible();
    await audit(page, 'toast and notifications list', found);

    expectNoneFound(found);
  });

  test(`no serious or critical axe violation in Find my configs, a watched file's changes and the VS Code inputs dialog (${colorScheme})`, async ({ launch }, testInfo) => {
    test.skip(testInfo.project.name !== 'web', 'the fake home (PATCHBAY_FIND_CONFIGS_HOME) is honoured by web mode only');
    test.setTimeout(240_000);
    const found: Found[] = [];
    const home = mkdtempSync(join(tmpdir(), 'patchbay-e2e-axe-home-'));
    const cursorFile = join(home, '.cursor', 'mcp.json');
    mkdirSync(join(home, '.cursor'), { recursive: true });
    const fixture = (name: string, extra: string[] = []) => ({ command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG, ...extra], env: { FIXTURE_NAME: name } });
    writeFileSync(cursorFile, JSON.stringify({ mcpServers: { weather: fixture('weather') } }));
    const saved = process.env.PATCHBAY_FIND_CONFIGS_HOME;
    process.env.PATCHBAY_FIND_CONFIGS_HOME = home;
    try {
      const { page } = await launch();
      await page.emulateMedia({ colorScheme });
      await page.getByRole('region', { name: 'No servers yet' }).getByRole('button', { name: 'Find my configs' }).click();
      const finder = page.getByRole('dialog', { name: 'Find my configs' });
      await expect(finder.locator('[data-testid="found-config"]')).toHaveCount(1);
      await audit(page, 'find my configs dialog', found);
      await finder.getByRole('button', { name: 'Preview import of 1 file' }).click();
      const preview = page.getByRole('dialog', { name: 'Import servers' });
      await preview.getByRole('checkbox', { name: /Watch this file/ }).check();
      await preview.getByRole('button', { name: 'Import 1 server' }).click();
      await expect(serverRow(page, 'weather')).toBeVisible();

      writeFileSync(cursorFile, JSON.stringify({ mcpServers: { weather: fixture('weather', ['--v2']), news: fixture('news') } }));
      await page.getByRole('status', { name: 'Changes in mcp.json' }).getByRole('button', { name: 'Review changes' }).click();
      const changes = page.getByRole('dialog', { name: 'Changes in mcp.json' });
      await expect(changes.getByRole('listitem').filter({ hasText: 'Added: news' })).toBeVisible();
      await audit(page, 'config changes dialog', found);
      await changes.getByRole('button', { name: 'Keep current catalog' }).click();
      await expect(changes).toBeHidden();

      await dropFiles(page, [vscodeInputsFile]);
      await page.getByRole('dialog', { name: 'Import servers' }).getByRole('button', { name: 'Import 1 server' }).click();
      await page.getByRole('button', { name: 'Connect vault', exact: true }).click();
      const inputs = page.getByRole('dialog', { name: 'Inputs for vault' });
      await expect(inputs.getByLabel('Fixture API key', { exact: true })).toBeVisible();
      await audit(page, 'inputs dialog', found);
      await inputs.getByRole('button', { name: 'Cancel' }).click();
      await expect(inputs).toBeHidden();
    } finally {
      if (saved === undefined) delete process.env.PATCHBAY_FIND_CONFIGS_HOME;
      else process.env.PATCHBAY_FIND_CONFIGS_HOME = saved;
      rmSync(home, { recursive: true, force: true });
    }
    expectNoneFound(found);
  });
}

/** One line per rule and element, with the views it was seen in: none expected. */
function expectNoneFound(found: Found[]): void {
  const lines = new Map<string, string[]>();
  for (const item of found) {
    for (const target of item.targets) {
      const key = `${item.impact} ${item.rule} (${item.help}): ${target}`;
      lines.set(key, [...(lines.get(key) ?? []), item.view]);
    }
  }
  expect([...lines].map(([key, views]) => `${key} in ${views.join(', ')}`)).toEqual([]);
}
