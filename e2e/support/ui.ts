import { expect, type Locator, type Page } from '@playwright/test';

/** The row of a server in the list. */
export function serverRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid="server-row"][data-server="${name.replace(/"/g, '\\"')}"]`);
}

/** Waits until a server's row shows the status. */
export async function expectStatus(page: Page, name: string, status: 'disconnected' | 'connecting' | 'ready' | 'error', timeout = 30_000): Promise<void> {
  await expect(serverRow(page, name)).toHaveAttribute('data-status', status, { timeout });
}

/** Fills and saves the Add server form. */
export async function addServer(
  page: Page,
  server: { name: string; transport: 'stdio' | 'streamable-http' | 'sse'; command?: string; args?: string[]; env?: string[]; url?: string; headers?: string[] },
): Promise<void> {
  // The toolbar's button (an empty catalog shows another in its empty state).
  await page.getByRole('banner').getByRole('button', { name: 'Add server' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Name').fill(server.name);
  await dialog.getByLabel('Transport').selectOption(server.transport);
  if (server.transport === 'stdio') {
    await dialog.getByLabel('Command').fill(server.command ?? '');
    await dialog.getByLabel('Arguments').fill((server.args ?? []).join('\n'));
    if (server.env) await dialog.getByLabel('Environment', { exact: true }).fill(server.env.join('\n'));
  } else {
    await dialog.getByLabel('URL').fill(server.url ?? '');
    if (server.headers) await dialog.getByLabel('Headers', { exact: true }).fill(server.headers.join('\n'));
  }
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(serverRow(page, server.name)).toBeVisible();
}

/** Statuses of every row, by server name. */
export async function statuses(page: Page): Promise<Record<string, string>> {
  return page.locator('[data-testid="server-row"]').evaluateAll((rows) =>
    Object.fromEntries(rows.map((row) => [row.getAttribute('data-server') ?? '', row.getAttribute('data-status') ?? ''])),
  );
}

/** Selects a server's row and returns its inspector (the server must be ready). */
export async function openInspector(page: Page, name: string): Promise<Locator> {
  await serverRow(page, name).click();
  const inspector = page.getByRole('region', { name: `Inspector for ${name}` });
  await expect(inspector).toBeVisible();
  return inspector;
}

/** Shows one of an inspector's tabs and returns its panel. */
export async function showTab(inspector: Locator, tab: string): Promise<Locator> {
  await inspector.getByRole('tab', { name: tab }).click();
  await expect(inspector.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
  return inspector.getByRole('tabpanel', { name: tab });
}

/** Opens the Tools tab, picks a tool and returns its detail. */
export async function selectTool(inspector: Locator, name: string): Promise<Locator> {
  const panel = await showTab(inspector, 'Tools');
  await panel
    .getByRole('region', { name: 'Tools', exact: true })
    .getByRole('button', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`) })
    .click();
  const tool = panel.getByRole('article', { name: `Tool ${name}` });
  await expect(tool).toBeVisible();
  return tool;
}

/** Presses Call on a selected tool and waits for its result. */
export async function runTool(tool: Locator): Promise<Locator> {
  await tool.getByRole('button', { name: 'Call', exact: true }).click();
  const result = tool.getByTestId('tool-result');
  await expect(result).toBeVisible();
  return result;
}

/**
 * Opens Tools, picks the tool, fills its fields (label → value), calls it and returns its result once shown; with
 * `expected`, also waits until the result says it.
 */
export async function callTool(inspector: Locator, name: string, fields: Record<string, string> = {}, expected?: string | RegExp): Promise<Locator> {
  const tool = await selectTool(inspector, name);
  for (const [label, value] of Object.entries(fields)) await tool.getByLabel(label, { exact: true }).fill(value);
  const result = await runTool(tool);
  if (expected !== undefined) await expect(result).toContainText(expected);
  return result;
}
