import type { Locator } from '@playwright/test';
import { expect, test } from '../support/test';
import { stdioFixture } from '../support/processes';
import { expectStatus, serverRow } from '../support/ui';

// Binary resources in the Resources view: audio and video play inline (data: media, which the renderer's CSP
// allows), a PDF is drawn page by page (pdf.js, its worker from the app's origin), and every type says what it is,
// how big, and offers Download.

/** How many pixels of a canvas are dark (ink of drawn text), read from what is on screen. */
async function darkPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((element: HTMLCanvasElement) => {
    const data = element.getContext('2d')!.getImageData(0, 0, element.width, element.height).data;
    let dark = 0;
    for (let index = 0; index < data.length; index += 4) if (data[index]! + data[index + 1]! + data[index + 2]! < 200 && data[index + 3]! > 200) dark += 1;
    return dark;
  });
}

test('binary resources: audio, video and PDF preview inline, a zip offers Download', async ({ launch }, testInfo) => {
  const app = await launch([stdioFixture('media', { FIXTURE_MEDIA_RESOURCES: '1' })]);
  const { page } = app;
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.getByRole('button', { name: 'Connect media', exact: true }).click();
  await expectStatus(page, 'media', 'ready');
  await serverRow(page, 'media').click();
  const inspector = page.getByRole('region', { name: 'Inspector for media' });
  await inspector.getByRole('tab', { name: 'Resources' }).click();
  const panel = inspector.getByRole('tabpanel', { name: 'Resources' });
  const resources = panel.getByRole('region', { name: 'Resources', exact: true });

  const read = async (name: string) => {
    await resources.getByRole('button', { name: new RegExp(`^${name}`) }).click();
    const article = panel.getByRole('article', { name: `Resource ${name}` });
    await article.getByRole('button', { name: 'Read', exact: true }).click();
    const blob = article.locator('[data-kind="resource-blob"]');
    await expect(blob).toBeVisible();
    return blob;
  };

  const tone = await read('tone');
  await expect(tone).toContainText('audio/wav · 2 KB');
  const audio = tone.locator('audio');
  await expect(audio).toHaveAttribute('src', /^data:audio\/wav;base64,/);
  // The CSP lets the element load it: its duration is known (a quarter second).
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.duration)).toBeCloseTo(0.25, 1);
  await expect(tone.getByRole('link', { name: 'Download tone.wav' })).toBeVisible();

  const clip = await read('clip');
  await expect(clip).toContainText('video/webm');
  const video = clip.getByLabel('Video fixture://media/clip.webm');
  await expect.poll(() => video.evaluate((element: HTMLVideoElement) => `${element.videoWidth}×${element.videoHeight}`), { timeout: 20_000 }).toBe('32×24');
  await clip.screenshot({ path: testInfo.outputPath('video-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await clip.screenshot({ path: testInfo.outputPath('video-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  const pdf = await read('document');
  await expect(pdf).toContainText('application/pdf');
  const viewer = pdf.getByRole('group', { name: 'PDF fixture://media/document.pdf' });
  await expect(viewer.getByText('Page 1 of 2')).toBeVisible();
  const firstPage = viewer.getByRole('img', { name: 'Page 1 of 2 of fixture://media/document.pdf' });
  await expect(firstPage).toBeVisible();
  // The page is drawn: the word on it leaves ink on the canvas.
  await expect.poll(() => darkPixels(firstPage)).toBeGreaterThan(50);
  await expect(viewer.getByRole('button', { name: '‹ Previous page' })).toBeDisabled();
  await pdf.screenshot({ path: testInfo.outputPath('pdf-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await pdf.screenshot({ path: testInfo.outputPath('pdf-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  const firstInk = await darkPixels(firstPage);
  await viewer.getByRole('button', { name: 'Next page ›' }).click();
  await expect(viewer.getByText('Page 2 of 2')).toBeVisible();
  const secondPage = viewer.getByRole('img', { name: 'Page 2 of 2 of fixture://media/document.pdf' });
  // Another page, other words: the ink changes.
  await expect
    .poll(async () => {
      const ink = await darkPixels(secondPage);
      return ink > 50 && ink !== firstInk;
    })
    .toBe(true);
  await expect(viewer.getByRole('button', { name: 'Next page ›' })).toBeDisabled();
  // The button that disabled itself handed the keyboard focus on.
  await expect(viewer.getByRole('button', { name: '‹ Previous page' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(viewer.getByText('Page 1 of 2')).toBeVisible();
  const download = page.waitForEvent('download');
  await pdf.getByRole('link', { name: 'Download document.pdf' }).click();
  expect((await download).suggestedFilename()).toBe('document.pdf');
  expect(violations).toEqual([]);

  const zip = await read('archive');
  await expect(zip).toContainText('application/zip · 22 B');
  await expect(zip).toContainText('No preview for application/zip');
  await expect(zip.getByRole('link', { name: 'Download archive.zip' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('media-files-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('media-files-dark.png') });
});
