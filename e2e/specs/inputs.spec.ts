import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { dropFiles } from '../support/drop';
import { E2E_TAG, FIXTURE_SERVER } from '../support/processes';
import { expectStatus, serverRow } from '../support/ui';

// A VS Code .vscode/mcp.json shaped as VS Code's MCP configuration reference writes it ("Input variables for
// sensitive data": `inputs` with a promptString `password: true` and a pickString with `options` and `default`,
// `${input:id}` in a server's env). The fixture's `env` tool reports what the server process was given.
function vscodeFile(servers: string[]) {
  return {
    name: 'mcp.json',
    text: JSON.stringify(
      {
        inputs: [
          { type: 'promptString', id: 'api-key', description: 'Fixture API key', password: true },
          { type: 'pickString', id: 'region', description: 'Region', options: ['eu', 'us', 'ap'], default: 'us' },
        ],
        servers: Object.fromEntries(
          servers.map((name) => [name, { type: 'stdio', command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG], env: { FIXTURE_KEY: '${input:api-key}', FIXTURE_REGION: '${input:region}' } }]),
        ),
      },
      null,
      2,
    ),
  };
}

async function importFile(page: Page, servers: string[]): Promise<void> {
  await dropFiles(page, [vscodeFile(servers)]);
  const preview = page.getByRole('dialog', { name: 'Import servers' });
  await preview.getByRole('button', { name: new RegExp(`^Import ${servers.length} server`) }).click();
  await expect(preview).toBeHidden();
  for (const name of servers) await expect(serverRow(page, name)).toBeVisible();
}

/** What the server process has in one environment variable, through the inspector's Tools tab. */
async function serverEnv(page: Page, server: string, variable: string): Promise<Locator> {
  await serverRow(page, server).click();
  const detail = page.getByRole('region', { name: `Server ${server}` });
  await detail.getByRole('tab', { name: 'Tools' }).click();
  const panel = detail.getByRole('tabpanel', { name: 'Tools' });
  await panel.getByRole('region', { name: 'Tools', exact: true }).getByRole('button', { name: /^env( |$)/ }).click();
  const tool = panel.getByRole('article', { name: 'Tool env' });
  await tool.getByLabel('name', { exact: true }).fill(variable);
  await tool.getByRole('button', { name: 'Call', exact: true }).click();
  return tool.getByTestId('tool-result');
}

test('a VS Code server with a password and a pick list input: asked at connect, remembered, forgotten, asked again', async ({ launch }) => {
  const app = await launch();
  const { page } = app;
  await importFile(page, ['vault']);

  await page.getByRole('button', { name: 'Connect vault', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Inputs for vault' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toHaveText('“vault” needs 2 inputs');
  const key = dialog.getByLabel('Fixture API key', { exact: true });
  await expect(key).toHaveAttribute('type', 'password');
  await expect(key).toBeFocused();
  const region = dialog.getByRole('combobox', { name: 'Region' });
  await expect(region).toHaveValue('us');
  await expect(region.getByRole('option')).toHaveText(['eu', 'us', 'ap']);
  // Web mode has no keychain: the dialog says where "Remember" keeps the answers.
  await expect(dialog.getByLabel(/Remember for this server until Patchbay stops/)).not.toBeChecked();

  await key.fill('k-e2e-secret');
  await region.selectOption('eu');
  await dialog.getByLabel(/Remember for this server/).check();
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expectStatus(page, 'vault', 'ready');
  await expect(await serverEnv(page, 'vault', 'FIXTURE_REGION')).toContainText('eu');
  await expect(await serverEnv(page, 'vault', 'FIXTURE_KEY')).toContainText('k-e2e-secret');

  // Remembered: connecting again asks nothing.
  const detail = page.getByRole('region', { name: 'Server vault' });
  await detail.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await expectStatus(page, 'vault', 'disconnected');
  await detail.getByRole('button', { name: 'Connect', exact: true }).click();
  await expectStatus(page, 'vault', 'ready');
  await expect(page.getByRole('dialog', { name: 'Inputs for vault' })).toHaveCount(0);
  await detail.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await expectStatus(page, 'vault', 'disconnected');

  // Forgotten: the next connect asks again, and Cancel leaves it disconnected, saying why.
  await detail.getByRole('button', { name: 'Forget remembered inputs', exact: true }).click();
  await expect(detail.getByRole('status').filter({ hasText: 'Forgot 2 remembered inputs' })).toBeVisible();
  await detail.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Fixture API key', { exact: true })).toHaveValue('');
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expectStatus(page, 'vault', 'disconnected');
  await expect(detail.getByRole('status').filter({ hasText: 'Not connected: its inputs were not answered (api-key, region).' })).toBeVisible();
  expect(await app.sessions()).toEqual([]);
});

test('Connect all asks for one server at a time', async ({ launch }) => {
  const app = await launch();
  const { page } = app;
  await importFile(page, ['first', 'second']);
  await page.getByRole('button', { name: 'Connect all', exact: true }).click();

  await expect(page.getByRole('dialog')).toHaveCount(1);
  const first = page.getByRole('dialog', { name: 'Inputs for first' });
  await first.getByLabel('Fixture API key', { exact: true }).fill('one');
  await first.getByRole('button', { name: 'Connect', exact: true }).click();
  const second = page.getByRole('dialog', { name: 'Inputs for second' });
  await expect(second).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(1);
  await expectStatus(page, 'first', 'ready');
  await second.getByRole('combobox', { name: 'Region' }).selectOption('ap');
  await second.getByLabel('Fixture API key', { exact: true }).press('Enter');
  await expectStatus(page, 'second', 'ready');
  await expect(await serverEnv(page, 'second', 'FIXTURE_REGION')).toContainText('ap');
});
