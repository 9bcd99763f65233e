import { expect, test } from '../support/test';
import { dropFiles } from '../support/drop';
import { E2E_TAG, FIXTURE_SERVER, stdioFixture } from '../support/processes';
import { expectStatus, serverRow } from '../support/ui';

const claudeDesktop = {
  name: 'claude_desktop_config.json',
  text: JSON.stringify(
    {
      mcpServers: {
        weather: { command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG], env: { FIXTURE_NAME: 'weather-server' } },
        existing: { command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG] },
      },
      globalShortcut: 'Ctrl+Space',
    },
    null,
    2,
  ),
};

const vscode = {
  name: 'mcp.json',
  text: `// VS Code workspace servers
{
  "inputs": [{ "type": "promptString", "id": "api-key", "description": "API key", "password": true }],
  "servers": {
    "docs": { "type": "http", "url": "http://127.0.0.1:1/mcp", "headers": { "Authorization": "Bearer \${input:api-key}" } },
    "files": { "type": "stdio", "command": "${process.execPath}", "args": ["${FIXTURE_SERVER}", "${E2E_TAG}"], },
  },
}`,
};

test('drop a Claude Desktop file and a VS Code file, preview, confirm, and connect an imported server', async ({ launch }, testInfo) => {
  const app = await launch([stdioFixture('existing')]);
  const { page } = app;
  await expect(serverRow(page, 'existing')).toBeVisible();
  await dropFiles(page, [claudeDesktop, vscode]);

  const preview = page.getByRole('dialog', { name: 'Import servers' });
  await expect(preview).toBeVisible();
  await expect(preview.getByRole('region', { name: 'File claude_desktop_config.json' })).toContainText('Claude Desktop');
  await expect(preview.getByRole('region', { name: 'File mcp.json' })).toContainText('VS Code');
  const docs = preview.locator('[data-testid="import-entry"][data-server="docs"]');
  await expect(docs).toContainText('Streamable HTTP');
  await expect(docs).toContainText('http://127.0.0.1:1/mcp');
  await expect(docs).toContainText('input api-key');
  // "existing" is taken: it is offered a new name by default.
  await expect(preview.getByLabel('New name for existing from claude_desktop_config.json')).toHaveValue(/existing/);
  await preview.getByLabel('New name for existing from claude_desktop_config.json').fill('existing (imported)');
  await page.screenshot({ path: testInfo.outputPath('import-preview.png') });
  await preview.getByRole('button', { name: 'Import 4 servers' }).click();
  await expect(preview).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Import done' })).toContainText('existing (imported)');

  for (const name of ['weather', 'existing (imported)', 'docs', 'files']) await expect(serverRow(page, name)).toBeVisible();
  await page.getByRole('button', { name: 'Connect weather', exact: true }).click();
  await expectStatus(page, 'weather', 'ready');
  await expect(serverRow(page, 'weather')).toContainText('weather-server');

  // The import was saved: it survives a restart.
  await app.restart();
  await expect(serverRow(app.page, 'files')).toBeVisible();
});

test('drop a broken file and read its error', async ({ launch }) => {
  const app = await launch();
  const { page } = app;
  await dropFiles(page, [{ name: 'broken.json', text: '{\n  "mcpServers": {\n    "a": { "command": "node" }\n    "b": {}\n  }\n}\n' }]);
  const preview = page.getByRole('dialog', { name: 'Import servers' });
  await expect(preview).toBeVisible();
  const error = preview.getByRole('region', { name: 'File broken.json' }).getByRole('alert');
  await expect(error).toContainText('broken.json:4:5');
  await expect(error).toContainText('comma expected');
  await expect(preview.getByRole('button', { name: /^Import/ })).toBeDisabled();
  await preview.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('[data-testid="server-row"]')).toHaveCount(0);
});

test('export the catalog as a VS Code config', async ({ launch }) => {
  const app = await launch([stdioFixture('alpha'), { name: 'beta', transport: 'sse', url: 'http://127.0.0.1:1/sse', headers: {} }]);
  const { page } = app;
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export servers' });
  await dialog.getByLabel('Format').selectOption('vscode');
  const text = dialog.getByLabel('Exported config');
  await expect(text).toContainText('"servers"');
  const exported = JSON.parse((await text.textContent()) ?? '{}') as { servers: Record<string, { type: string }> };
  expect(Object.keys(exported.servers)).toEqual(['alpha', 'beta']);
  expect(exported.servers.beta!.type).toBe('sse');
});
