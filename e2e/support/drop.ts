import type { Page } from '@playwright/test';

/** Drops files onto the window the way a user's drag from the file manager does (a drop event carrying Files). */
export async function dropFiles(page: Page, files: Array<{ name: string; text: string }>): Promise<void> {
  const dataTransfer = await page.evaluateHandle((contents) => {
    const transfer = new DataTransfer();
    for (const file of contents) transfer.items.add(new File([file.text], file.name, { type: 'application/json' }));
    return transfer;
  }, files);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await page.dispatchEvent('body', 'dragover', { dataTransfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
}
