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

    for (const tab of ['Tools', 'Resources', 'Prompts', 'Requests', 'Roots']) {
      await inspector.getByRole('tab', { name: tab }).click();
      const panel = inspector.getByRole('tabpanel', { name: tab });
      await expect(panel).toBeVisible();
      if (tab === 'Tools') {
        await panel.getByRole('button', { name: /^echo/ }).first().click();
        await expect(panel.getByRole('button', { name: 'Call', exact: true }).first()).toBeVisible();
      }
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

    // One line per rule and element, with the views it was seen in.
    const lines = new Map<string, string[]>();
    for (const item of found) {
      for (const target of item.targets) {
        const key = `${item.impact} ${item.rule} (${item.help}): ${target}`;
        lines.set(key, [...(lines.get(key) ?? []), item.view]);
      }
    }
    expect([...lines].map(([key, views]) => `${key} in ${views.join(', ')}`)).toEqual([]);
  });
}
