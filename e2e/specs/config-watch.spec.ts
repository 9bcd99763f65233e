import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../support/test';
import { E2E_TAG, FIXTURE_SERVER } from '../support/processes';
import { serverRow } from '../support/ui';

// "Keep in sync" in web mode: a Cursor file in a fake home (PATCHBAY_FIND_CONFIGS_HOME, as find-configs.spec.ts)
// is imported with "Watch this file" ticked, then edited on disk by the test as an editor would (in place, and by
// renaming a temporary file over it). The change is shown before anything is applied; applying updates the
// catalog, declining keeps it and is not asked again.

const fixtureServer = (name: string, extra: string[] = []) => ({ command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG, ...extra], env: { FIXTURE_NAME: name } });

test('a watched file: its change is shown, applied on confirm, and a declined change keeps the catalog', async ({ launch }, testInfo) => {
  test.skip(testInfo.project.name !== 'web', 'the fake home (PATCHBAY_FIND_CONFIGS_HOME) is honoured by web mode only');
  const root = mkdtempSync(join(tmpdir(), 'patchbay-e2e-watch-'));
  const home = join(root, 'home');
  const file = join(home, '.cursor', 'mcp.json');
  mkdirSync(join(home, '.cursor'), { recursive: true });
  const writeServers = (servers: Record<string, unknown>, atomically = false) => {
    const text = JSON.stringify({ mcpServers: servers }, null, 2);
    if (!atomically) return writeFileSync(file, text);
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  };
  writeServers({ weather: fixtureServer('weather-server') });

  const saved = process.env.PATCHBAY_FIND_CONFIGS_HOME;
  process.env.PATCHBAY_FIND_CONFIGS_HOME = home;
  try {
    const { page } = await launch();
    await page.getByRole('region', { name: 'No servers yet' }).getByRole('button', { name: 'Find my configs' }).click();
    const finder = page.getByRole('dialog', { name: 'Find my configs' });
    await expect(finder.locator('[data-testid="found-config"]')).toHaveCount(1);
    await finder.getByRole('button', { name: 'Preview import of 1 file' }).click();

    const preview = page.getByRole('dialog', { name: 'Import servers' });
    await preview.getByRole('checkbox', { name: /Watch this file/ }).check();
    await preview.getByRole('button', { name: 'Import 1 server' }).click();
    await expect(preview).toBeHidden();
    await expect(serverRow(page, 'weather')).toBeVisible();

    // Edit in place: one server added, one changed.
    writeServers({ weather: fixtureServer('weather-server', ['--v2']), news: fixtureServer('news-server') });
    const notice = page.getByRole('status', { name: 'Changes in mcp.json' });
    await expect(notice).toContainText('mcp.json changed on disk: 1 added, 1 changed');
    await notice.getByRole('button', { name: 'Review changes' }).click();
    const changes = page.getByRole('dialog', { name: 'Changes in mcp.json' });
    await expect(changes).toContainText(file);
    await expect(changes.getByRole('listitem').filter({ hasText: 'Added: news' })).toBeVisible();
    await expect(changes.getByRole('listitem').filter({ hasText: 'Changed: weather' }).first()).toContainText('--v2');
    await page.screenshot({ path: testInfo.outputPath('config-watch-changes.png') });
    await changes.getByRole('button', { name: 'Apply changes' }).click();
    await expect(changes).toBeHidden();
    await expect(serverRow(page, 'news')).toBeVisible();
    await expect(page.getByText('Applied the changes from mcp.json.')).toBeVisible();

    // Save by rename: news removed. Declined: the catalog keeps news, and the same content is not offered again.
    writeServers({ weather: fixtureServer('weather-server', ['--v2']) }, true);
    await expect(notice).toContainText('1 removed');
    await notice.getByRole('button', { name: 'Review changes' }).click();
    await expect(changes.getByRole('listitem').filter({ hasText: 'Removed: news' })).toBeVisible();
    await changes.getByRole('button', { name: 'Keep current catalog' }).click();
    await expect(changes).toBeHidden();
    await expect(notice).toBeHidden();
    await expect(page.getByText('Kept the current catalog; this version of mcp.json will not be offered again.')).toBeVisible();
    await page.waitForTimeout(4000);
    await expect(notice).toBeHidden();
    await expect(serverRow(page, 'news')).toBeVisible();
  } finally {
    if (saved === undefined) delete process.env.PATCHBAY_FIND_CONFIGS_HOME;
    else process.env.PATCHBAY_FIND_CONFIGS_HOME = saved;
    rmSync(root, { recursive: true, force: true });
  }
});
