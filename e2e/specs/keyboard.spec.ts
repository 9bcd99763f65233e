import type { Page } from '@playwright/test';
import { stdioFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { expectStatus, serverRow } from '../support/ui';

// Keyboard use of the app: the server list is one Tab stop with arrows and type-ahead, the shortcut table's
// window shortcuts, the `?` sheet, and Ctrl+Enter in a tool form. Keys are pressed with page.keyboard only.

/** Whether the focused element is inside the server list. */
const focusInList = (page: Page) => page.evaluate(() => Boolean(document.activeElement?.closest('ul[aria-label="Servers"]')));

test('the server list is one Tab stop: arrows and Home/End move the selection, typing a name jumps to it', async ({ launch }) => {
  const app = await launch(['alpha', 'bravo', 'charlie', 'delta', 'echo'].map((name) => stdioFixture(name)));
  const { page } = app;
  await serverRow(page, 'alpha').focus();
  // The focused row, then its own Connect button, then out of the list: not five rows and five buttons.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Connect alpha', exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await focusInList(page)).toBe(false);
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Connect alpha', exact: true })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(serverRow(page, 'alpha')).toBeFocused();

  await page.keyboard.press('ArrowDown');
  await expect(serverRow(page, 'bravo')).toBeFocused();
  await expect(serverRow(page, 'bravo')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('region', { name: 'Server bravo' })).toBeVisible();
  await page.keyboard.press('End');
  await expect(serverRow(page, 'echo')).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Home');
  await expect(serverRow(page, 'alpha')).toHaveAttribute('aria-current', 'true');
  await page.keyboard.type('ch');
  await expect(serverRow(page, 'charlie')).toBeFocused();
  await expect(serverRow(page, 'charlie')).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Connect charlie', exact: true })).toBeFocused();
});

test('? opens the shortcut sheet (not while typing); Escape closes it and focus returns', async ({ launch }) => {
  const app = await launch([stdioFixture('fixture')]);
  const { page } = app;
  await serverRow(page, 'fixture').focus();
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  const mod = process.platform === 'darwin' ? '⌘' : 'Ctrl+';
  await expect(sheet.getByRole('row', { name: /Connect or disconnect the selected server/ })).toContainText(process.platform === 'darwin' ? '⌘⇧D' : 'Ctrl+Shift+D');
  await expect(sheet.getByRole('row', { name: /Show the Timeline view/ })).toContainText(`${mod}2`);
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(serverRow(page, 'fixture')).toBeFocused();

  // In a text field ? is just a character.
  await page.keyboard.press('Control+2');
  const search = page.getByRole('tabpanel', { name: 'Timeline' }).getByRole('searchbox', { name: 'Search' });
  await search.focus();
  await page.keyboard.type('a?b');
  await expect(search).toHaveValue('a?b');
  await expect(sheet).toBeHidden();
});

test('shortcuts connect and disconnect the selected server, connect all, switch views and tabs, focus the search, run a tool', async ({ launch }) => {
  const app = await launch([stdioFixture('first'), stdioFixture('second')]);
  const { page } = app;
  await serverRow(page, 'first').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+Shift+D');
  await expectStatus(page, 'first', 'ready');
  await expectStatus(page, 'second', 'disconnected');
  await page.keyboard.press('Control+Shift+D');
  await expectStatus(page, 'first', 'disconnected');
  await page.keyboard.press('Control+Shift+A');
  await expectStatus(page, 'first', 'ready');
  await expectStatus(page, 'second', 'ready');

  await page.keyboard.press('Control+2');
  await expect(page.getByRole('tab', { name: 'Timeline' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+1');
  await expect(page.getByRole('tab', { name: 'Servers' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+Shift+F');
  await expect(page.getByRole('tab', { name: 'Timeline' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Timeline' }).getByRole('searchbox', { name: 'Search' })).toBeFocused();
  await page.keyboard.press('Control+1');

  const inspector = page.getByRole('region', { name: 'Inspector for first' });
  const selectedTab = inspector.locator('[role="tab"][aria-selected="true"]');
  const before = await selectedTab.textContent();
  await page.keyboard.press('Control+]');
  await expect(selectedTab).not.toHaveText(before ?? '');
  await page.keyboard.press('Control+[');
  await expect(selectedTab).toHaveText(before ?? '');

  // Ctrl+Enter in a tool's form runs it.
  await inspector.getByRole('tab', { name: 'Tools' }).focus();
  await page.keyboard.press('Enter');
  const panel = inspector.getByRole('tabpanel', { name: 'Tools' });
  await panel.getByRole('region', { name: 'Tools', exact: true }).getByRole('button', { name: /^echo( |$)/ }).focus();
  await page.keyboard.press('Enter');
  const tool = panel.getByRole('article', { name: 'Tool echo' });
  await tool.getByLabel('text', { exact: true }).focus();
  await page.keyboard.type('typed by keyboard');
  await page.keyboard.press('Control+Enter');
  await expect(tool.getByTestId('tool-result')).toContainText('typed by keyboard');
  // Focus moves to the outcome, where the user reads next.
  await expect(tool.getByRole('group', { name: 'Outcome of echo' })).toBeFocused();
});

test('focus goes where the next step is: into a new array item, back to the opener of a closed dialog', async ({ launch }) => {
  const app = await launch([stdioFixture('fixture')]);
  const { page } = app;
  await page.getByRole('button', { name: 'Add server' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Add server' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Add server' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Add server' })).toBeFocused();

  await serverRow(page, 'fixture').focus();
  await page.keyboard.press('Control+Shift+D');
  await expectStatus(page, 'fixture', 'ready');
  const inspector = page.getByRole('region', { name: 'Inspector for fixture' });
  await inspector.getByRole('tab', { name: 'Tools' }).focus();
  await page.keyboard.press('Enter');
  const panel = inspector.getByRole('tabpanel', { name: 'Tools' });
  await panel.getByRole('region', { name: 'Tools', exact: true }).getByRole('button', { name: /^order( |$)/ }).focus();
  await page.keyboard.press('Enter');
  const items = panel.getByRole('article', { name: 'Tool order' }).getByRole('group', { name: /^items/ });
  await items.getByRole('button', { name: '+ Add item' }).focus();
  await page.keyboard.press('Enter');
  await expect(items.getByRole('group', { name: '#2', exact: true }).getByLabel('sku', { exact: true })).toBeFocused();
});

test('focus goes to the result after a prompt get and a resource read, as after a tool call', async ({ launch }) => {
  const app = await launch([stdioFixture('fixture')]);
  const { page } = app;
  await serverRow(page, 'fixture').focus();
  await page.keyboard.press('Control+Shift+D');
  await expectStatus(page, 'fixture', 'ready');
  const inspector = page.getByRole('region', { name: 'Inspector for fixture' });

  await inspector.getByRole('tab', { name: 'Prompts' }).focus();
  await page.keyboard.press('Enter');
  const prompts = inspector.getByRole('tabpanel', { name: 'Prompts' });
  await prompts.getByRole('region', { name: 'Prompts', exact: true }).getByRole('button', { name: /^greet( |$)/ }).focus();
  await page.keyboard.press('Enter');
  const greet = prompts.getByRole('article', { name: 'Prompt greet' });
  await greet.getByLabel('name', { exact: true }).focus();
  await page.keyboard.type('Ada');
  await page.keyboard.press('Enter');
  await expect(greet.getByTestId('prompt-messages')).toContainText('Please greet Ada.');
  await expect(greet.getByRole('group', { name: 'Outcome of prompt greet' })).toBeFocused();

  await inspector.getByRole('tab', { name: 'Resources' }).focus();
  await page.keyboard.press('Enter');
  const resources = inspector.getByRole('tabpanel', { name: 'Resources' });
  await resources.getByRole('region', { name: 'Resources', exact: true }).getByRole('button', { name: /^hello( |$)/ }).focus();
  await page.keyboard.press('Enter');
  const hello = resources.getByRole('article', { name: 'Resource hello' });
  await hello.getByRole('button', { name: 'Read', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(hello.getByTestId('resource-contents')).toContainText('hello from the fixture');
  await expect(hello.getByRole('group', { name: 'Outcome of reading fixture://hello' })).toBeFocused();
});
