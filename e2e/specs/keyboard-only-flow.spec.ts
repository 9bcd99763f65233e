import type { Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { E2E_TAG, FIXTURE_SERVER } from '../support/processes';
import { expectStatus } from '../support/ui';

/** What has focus: its accessible name (aria-label, else text), its role or tag, and the server row it is in. */
async function focused(page: Page): Promise<{ name: string; tag: string; row?: string; inList: boolean }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    const row = element?.closest<HTMLElement>('[data-testid="server-row"]');
    return {
      name: (element?.getAttribute('aria-label') ?? element?.textContent ?? '').trim(),
      tag: element?.getAttribute('role') ?? element?.tagName.toLowerCase() ?? '',
      row: row?.dataset.server,
      inList: element?.closest('.server-list') !== null,
    };
  });
}

/** Presses Tab until focus is on what `wanted` accepts; fails after `limit` presses. Keyboard only, like a user. */
async function tabUntil(page: Page, wanted: (focus: Awaited<ReturnType<typeof focused>>) => boolean, what: string, limit = 40): Promise<number> {
  for (let presses = 1; presses <= limit; presses += 1) {
    await page.keyboard.press('Tab');
    if (wanted(await focused(page))) return presses;
  }
  throw new Error(`Tab never reached ${what} in ${limit} presses (focus is on ${JSON.stringify(await focused(page))})`);
}

const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

test('keyboard only: add a server, connect it, open a tool, fill it, call it with Ctrl/Cmd+Enter and read the result', async ({ launch }) => {
  const app = await launch();
  const { page } = app;

  await tabUntil(page, (focus) => focus.name === 'Add server', 'the Add server button');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await page.keyboard.type('keyboard fixture');
  await tabUntil(page, (focus) => focus.tag === 'select', 'the Transport select');
  await tabUntil(page, (focus) => focus.tag === 'input', 'the Command field');
  await page.keyboard.type(process.execPath);
  await tabUntil(page, (focus) => focus.tag === 'textarea', 'the Arguments field');
  await page.keyboard.type(FIXTURE_SERVER);
  await page.keyboard.press('Enter');
  await page.keyboard.type(E2E_TAG);
  await tabUntil(page, (focus) => focus.name === 'Save', 'Save');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  // Closing the dialog gives focus back to what opened it.
  await expect(page.getByRole('button', { name: 'Add server' })).toBeFocused();

  await tabUntil(page, (focus) => focus.row === 'keyboard fixture' && focus.tag === 'li', 'the new server row');
  await page.keyboard.press(`${mod}+Shift+D`);
  await expectStatus(page, 'keyboard fixture', 'ready');

  await tabUntil(page, (focus) => focus.tag === 'tab' && focus.name.startsWith('Info'), 'the inspector tabs');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Tools' })).toHaveAttribute('aria-selected', 'true');
  await tabUntil(page, (focus) => focus.name.startsWith('echo'), 'the echo tool');
  await page.keyboard.press('Enter');
  await tabUntil(page, (focus) => focus.tag === 'input' || focus.tag === 'textarea', "echo's text field");
  await page.keyboard.type('typed without a mouse');
  await page.keyboard.press(`${mod}+Enter`);
  await expect(page.getByRole('article', { name: 'Tool echo' })).toContainText('echo: typed without a mouse');
});
