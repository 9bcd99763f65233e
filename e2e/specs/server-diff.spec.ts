import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { surfaceStdioFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { serverRow } from '../support/ui';

// Server diff in the app: a snapshot of the surface fixture taken from the Diff view, the server changed through
// Edit (FIXTURE_SURFACE=v2: a tool removed, a required argument added, a type narrowed, an output no longer
// promised, a tool added, a description reworded), a second snapshot, the two compared: the breaking changes come
// first, read from the screen with their paths and values. Keyboard only for the compare; axe-clean in light and dark.

async function showView(page: Page, name: 'Servers' | 'Diff'): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
  await expect(page.getByRole('tab', { name, exact: true })).toHaveAttribute('aria-selected', 'true');
}

test('a server snapshotted, changed, snapshotted again and diffed: the breaking changes first, with paths; axe-clean', async ({ launch }, testInfo) => {
  const app = await launch([surfaceStdioFixture('notes', { FIXTURE_SURFACE: 'v1' })]);
  const { page } = app;
  await page.setViewportSize({ width: 1280, height: 1300 });

  await showView(page, 'Diff');
  const view = page.getByRole('tabpanel', { name: 'Diff' });
  await expect(view.getByText('No snapshots yet.', { exact: false })).toBeVisible();
  await view.getByLabel('Server', { exact: true }).selectOption('notes');
  await view.getByRole('button', { name: 'Take snapshot now', exact: true }).click();
  const rows = view.getByTestId('snapshot-row');
  await expect(rows).toHaveCount(1, { timeout: 30_000 });
  await expect(rows.first()).toContainText('patchbay-surface-fixture 1.0.0');

  // The server changes: its env var, through Edit.
  await showView(page, 'Servers');
  await serverRow(page, 'notes').click();
  await page.getByRole('region', { name: 'Server notes' }).getByRole('button', { name: 'Edit', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit server' });
  await dialog.getByLabel('Environment', { exact: true }).fill('FIXTURE_SURFACE=v2');
  // The snapshot's connection ended with it: nothing is live, so saving asks nothing.
  expect(await app.sessions()).toEqual([]);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();

  await showView(page, 'Diff');
  await view.getByRole('button', { name: 'Take snapshot now', exact: true }).click();
  await expect(rows).toHaveCount(2, { timeout: 30_000 });
  await expect(rows.first()).toContainText('patchbay-surface-fixture 2.0.0');

  // Compare, by keyboard: the newest two are chosen already (before: v1, after: v2).
  const compare = view.getByRole('form', { name: 'Compare snapshots' });
  await expect(compare.getByLabel('Before', { exact: true }).locator('option:checked')).toContainText('notes 1.0.0');
  await expect(compare.getByLabel('After', { exact: true }).locator('option:checked')).toContainText('notes 2.0.0');
  await compare.getByRole('button', { name: 'Compare', exact: true }).focus();
  await page.keyboard.press('Enter');

  const result = view.getByTestId('diff-result');
  await expect(result.getByTestId('diff-counts')).toHaveText('7 changes: 4 breaking, 1 additive, 2 cosmetic: an agent may break');
  const changes = result.getByTestId('diff-change');
  await expect(changes).toHaveCount(7);
  // Breaking first, each with its path and before → after.
  await expect(changes.nth(0)).toHaveAttribute('data-kind', 'breaking');
  const breaking = result.getByTestId('diff-group-breaking');
  await expect(breaking.getByRole('heading', { name: 'Breaking (4)' })).toBeVisible();
  await expect(breaking.getByTestId('diff-change')).toHaveText([
    /tool "add-note": required argument "folder" added\s*\/tools\/add-note\/inputSchema\/properties\/folder/,
    /tool "delete-note" removed\s*\/tools\/delete-note/,
    /tool "set-priority": type of argument "level" narrowed: number → integer\s*\/tools\/set-priority\/inputSchema\/properties\/level\/type\s*"number" → "integer"/,
    /tool "get-stats": output property "wordCount" is no longer always present/,
  ]);
  await expect(result.getByTestId('diff-group-additive')).toContainText('tool "search-notes" added');
  await expect(result.getByTestId('diff-group-cosmetic')).toContainText('tool "add-note": description changed');
  await result.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('server-diff-light.png'), fullPage: true });

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const audit = await new AxeBuilder({ page }).include('#view-diff').analyze();
    expect(audit.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`), scheme).toEqual([]);
  }
  await page.screenshot({ path: testInfo.outputPath('server-diff-dark.png'), fullPage: true });

  // Deleted, a snapshot leaves the list, and the diff it was part of goes too.
  await rows.first().getByRole('button', { name: /^Delete notes 2\.0\.0/ }).click();
  await expect(rows).toHaveCount(1);
  await expect(result).toHaveCount(0);
});
