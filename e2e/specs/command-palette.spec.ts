import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { stdioFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { expectStatus, serverRow } from '../support/ui';

// The command palette (Cmd/Ctrl+K) against the real fixture server: it finds servers, the tools, resources and
// prompts of connected servers, and actions; choosing one opens it with the focus where the next step is; Escape
// gives the focus back. Keys are pressed with page.keyboard only.

const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';

/** Opens the palette with the keys and types a search; returns the dialog. */
async function search(page: Page, text: string) {
  await page.keyboard.press(`${MOD}+K`);
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  const field = palette.getByRole('combobox', { name: 'Find a server, tool, resource, prompt or action' });
  await expect(field).toBeFocused();
  await page.keyboard.type(text);
  return palette;
}

/** The option the palette would choose on Enter (the combobox's active descendant). */
async function expectActive(page: Page, text: RegExp) {
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  const active = palette.getByRole('option', { selected: true });
  await expect(active).toHaveText(text);
  // The field points at it, as the ARIA combobox pattern says.
  const id = await active.getAttribute('id');
  await expect(palette.getByRole('combobox')).toHaveAttribute('aria-activedescendant', id ?? 'missing');
}

test('Cmd/Ctrl+K finds a server, a connected server\'s tool, resource and prompt, and an action; each opens with focus on the next step', async ({ launch }) => {
  const app = await launch([stdioFixture('fixture'), stdioFixture('second')]);
  const { page } = app;
  await page.getByRole('button', { name: 'Connect fixture', exact: true }).click();
  await expectStatus(page, 'fixture', 'ready');
  const palette = page.getByRole('dialog', { name: 'Command palette' });

  // A server: selected, its row focused (arrows go on from there).
  await search(page, 'secnd');
  await expectActive(page, /^second/);
  await expect(palette.getByRole('group', { name: 'Servers' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await expect(serverRow(page, 'second')).toHaveAttribute('aria-current', 'true');
  await expect(serverRow(page, 'second')).toBeFocused();

  // A tool of the connected server (its Tools tab was never opened: the palette loads the list): the Tools tab
  // opens with it selected and the focus in its form, ready to type and run.
  await search(page, 'echo');
  await expectActive(page, /^echo.*fixture/);
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  const inspector = page.getByRole('region', { name: 'Inspector for fixture' });
  await expect(inspector.getByRole('tab', { name: 'Tools' })).toHaveAttribute('aria-selected', 'true');
  const echo = inspector.getByRole('article', { name: 'Tool echo' });
  await expect(echo.getByLabel('text', { exact: true })).toBeFocused();
  await page.keyboard.type('found with the palette');
  await page.keyboard.press(`${MOD}+Enter`);
  await expect(echo.getByTestId('tool-result')).toContainText('found with the palette');

  // Up/Down move the active option (wrapping), and the choice follows it.
  await search(page, 'hello');
  await expectActive(page, /^hello.*fixture:\/\/hello.*fixture/);
  await page.keyboard.press('ArrowUp');
  await expect(palette.getByRole('option', { selected: true })).not.toHaveText(/^hello/);
  await page.keyboard.press('ArrowDown');
  await expectActive(page, /^hello/);
  // A resource: the Resources tab opens with it read, the focus on what was read.
  await page.keyboard.press('Enter');
  await expect(inspector.getByRole('tab', { name: 'Resources' })).toHaveAttribute('aria-selected', 'true');
  const hello = inspector.getByRole('article', { name: 'Resource hello' });
  await expect(hello.getByTestId('resource-contents')).toContainText('hello from the fixture');
  await expect(hello.getByRole('group', { name: 'Outcome of reading fixture://hello' })).toBeFocused();

  // A prompt: the Prompts tab opens with it selected and the focus in its first argument.
  await search(page, 'greet');
  await expectActive(page, /^greet.*fixture/);
  await page.keyboard.press('Enter');
  await expect(inspector.getByRole('tab', { name: 'Prompts' })).toHaveAttribute('aria-selected', 'true');
  const greet = inspector.getByRole('article', { name: 'Prompt greet' });
  const name = greet.getByLabel(/^name/);
  await expect(name).toBeFocused();

  // An action: Add server opens its dialog; closing it gives the focus back to where it was before the palette.
  await search(page, 'add server');
  await expectActive(page, /^Add server/);
  await page.keyboard.press('Enter');
  const add = page.getByRole('dialog', { name: 'Add server' });
  await expect(add).toBeVisible();
  await expect(add.getByLabel('Name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(add).toBeHidden();
  await expect(name).toBeFocused();

  // Connect <server>: the same action as the row's button.
  await search(page, 'connect second');
  await expectActive(page, /^Connect second/);
  await page.keyboard.press('Enter');
  await expectStatus(page, 'second', 'ready');
});

test('Escape closes the palette and gives the focus back; it never opens over another dialog; the ? sheet lists it', async ({ launch }) => {
  const app = await launch([stdioFixture('fixture')]);
  const { page } = app;
  await serverRow(page, 'fixture').focus();
  const palette = await search(page, 'nothing like this');
  await expect(palette.getByRole('status')).toContainText('Nothing matches “nothing like this”');
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await expect(serverRow(page, 'fixture')).toBeFocused();

  // While another dialog is open the keys do nothing (two dialogs never stack).
  await page.getByRole('banner').getByRole('button', { name: 'Settings…' }).focus();
  await page.keyboard.press('Enter');
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toBeVisible();
  await page.keyboard.press(`${MOD}+K`);
  await expect(palette).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();

  await serverRow(page, 'fixture').focus();
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet.getByRole('row', { name: /Command palette/ })).toContainText(process.platform === 'darwin' ? '⌘K' : 'Ctrl+K');
  await page.keyboard.press('Escape');
  // The shortcut table's actions are in the palette too.
  await search(page, 'timeline view');
  await expectActive(page, /^Show the Timeline view/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Timeline' })).toHaveAttribute('aria-selected', 'true');
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`no serious or critical axe violation with the palette open (${colorScheme})`, async ({ launch }, testInfo) => {
    const app = await launch([stdioFixture('fixture'), stdioFixture('second')]);
    const { page } = app;
    await page.emulateMedia({ colorScheme });
    await page.getByRole('button', { name: 'Connect fixture', exact: true }).click();
    await expectStatus(page, 'fixture', 'ready');
    const palette = await search(page, 'e');
    await expect(palette.getByRole('group', { name: 'Tools' })).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({ rule: violation.id, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')).slice(0, 5) }));
    expect(serious).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(`command-palette-${colorScheme}.png`) });
  });
}
