import type { Page } from '@playwright/test';

/** Drops files onto the window the way a user's drag from the file manager does (a drop event carrying Files). */
export async function dropFiles(page: Page, files: Array<{ name: string; text: string }>): Promise<void> {
  const dataTransfer = await page.evaluateHandle((contents) => {
    const transfer = new DataTransfer();
    for (const file of contents) transfer.items.add(new File([file.text], file.name, { type: 'application/json' }));
    return transfer;
  }, files);
  // As a user does, drop only once the window shows it takes files: right after the page loads, React may not have
  // attached its drop listener yet, and a drop then is lost.
  const overlay = page.locator('.drop-overlay');
  const deadline = Date.now() + 15_000;
  for (;;) {
    await page.dispatchEvent('body', 'dragenter', { dataTransfer });
    await page.dispatchEvent('body', 'dragover', { dataTransfer });
    if (await overlay.isVisible()) break;
    if (Date.now() > deadline) throw new Error('the window never showed that it takes dropped files (no drop overlay within 15 s)');
    await page.waitForTimeout(100);
  }
  await page.dispatchEvent('body', 'drop', { dataTransfer });
}
