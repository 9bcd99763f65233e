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
