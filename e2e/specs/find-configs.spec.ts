import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '../support/test';
import { E2E_TAG, FIXTURE_SERVER } from '../support/processes';
import { expectStatus, serverRow } from '../support/ui';

// "Find my configs" in web mode, pointed at a fake home with PATCHBAY_FIND_CONFIGS_HOME (and a fake project with
// PATCHBAY_FIND_CONFIGS_FOLDERS), which only web mode's finder honours; the real home is never looked at. The
// files sit where they are on every OS (~/.cursor, ~/.claude.json, a project's .vscode), so the spec runs anywhere.

const fixtureServer = (name: string) => ({ command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG], env: { FIXTURE_NAME: name } });

test('the first-run offer finds the configs in a fake home, and the ticked ones import through the preview', async ({ launch }, testInfo) => {
  test.skip(testInfo.project.name !== 'web', 'the fake home (PATCHBAY_FIND_CONFIGS_HOME) is honoured by web mode only');
  const root = mkdtempSync(join(tmpdir(), 'patchbay-e2e-home-'));
  const home = join(root, 'home');
  const project = join(root, 'project');
  const write = (path: string, value: unknown) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(value, null, 2));
  };
  write(join(home, '.cursor', 'mcp.json'), { mcpServers: { weather: fixtureServer('weather-server') } });
  write(join(home, '.claude.json'), { numStartups: 2, projects: { '/work/my-app': { allowedTools: [], mcpServers: { postgres: fixtureServer('pg') } } } });
  write(join(project, '.vscode', 'mcp.json'), { servers: { docs: { type: 'http', url: '${DOCS_URL:-http://127.0.0.1:1}/mcp' } } });

  const saved = { home: process.env.PATCHBAY_FIND_CONFIGS_HOME, folders: process.env.PATCHBAY_FIND_CONFIGS_FOLDERS };
  process.env.PATCHBAY_FIND_CONFIGS_HOME = home;
  process.env.PATCHBAY_FIND_CONFIGS_FOLDERS = project;
  try {
    const { page } = await launch();
    await page.getByRole('region', { name: 'No servers yet' }).getByRole('button', { name: 'Find my configs' }).click();

    const dialog = page.getByRole('dialog', { name: 'Find my configs' });
    const found = dialog.locator('[data-testid="found-config"]');
    await expect(found).toHaveCount(3);
    await expect(found.filter({ hasText: 'Cursor' })).toContainText(join(home, '.cursor', 'mcp.json'));
    await expect(found.filter({ hasText: 'Claude Code' })).toContainText(join(home, '.claude.json'));
    await expect(found.filter({ hasText: 'VS Code' })).toContainText(join(project, '.vscode', 'mcp.json'));
    await expect(dialog.getByText(/Also looked in \d+ places/)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('find-configs.png') });

    // Untick the VS Code file: only the two others go to the preview.
    await found.filter({ hasText: 'VS Code' }).getByRole('checkbox').uncheck();
    await dialog.getByRole('button', { name: 'Preview import of 2 files' }).click();
    await expect(dialog).toBeHidden();

    const preview = page.getByRole('dialog', { name: 'Import servers' });
    await expect(preview).toBeVisible();
    await expect(preview.getByRole('group', { name: 'Project /work/my-app (local scope)' })).toContainText('postgres (my-app)');
    await expect(preview.locator('[data-testid="import-entry"]')).toHaveCount(2);
    await preview.getByRole('button', { name: 'Import 2 servers' }).click();
    await expect(preview).toBeHidden();

    await expect(serverRow(page, 'weather')).toBeVisible();
    await expect(serverRow(page, 'postgres (my-app)')).toBeVisible();
    await expect(serverRow(page, 'docs')).toHaveCount(0);
    await page.getByRole('button', { name: 'Connect weather', exact: true }).click();
    await expectStatus(page, 'weather', 'ready');

    // The toolbar's button works once the catalog has servers, too.
    await page.getByRole('button', { name: 'Find my configs' }).click();
    await expect(page.getByRole('dialog', { name: 'Find my configs' }).locator('[data-testid="found-config"]')).toHaveCount(3);
    await page.getByRole('dialog', { name: 'Find my configs' }).getByRole('button', { name: 'Cancel' }).click();
  } finally {
    if (saved.home === undefined) delete process.env.PATCHBAY_FIND_CONFIGS_HOME;
    else process.env.PATCHBAY_FIND_CONFIGS_HOME = saved.home;
    if (saved.folders === undefined) delete process.env.PATCHBAY_FIND_CONFIGS_FOLDERS;
    else process.env.PATCHBAY_FIND_CONFIGS_FOLDERS = saved.folders;
    rmSync(root, { recursive: true, force: true });
  }
});
