import { expect, test } from '../support/test';
import { stdioFixture } from '../support/processes';
import { expectStatus, serverRow } from '../support/ui';

// Binary resources in the Resources view: audio and video play inline (data: media, which the renderer's CSP
// allows), a PDF and other types say what they are, how big, and offer Download.

test('binary resources: audio and video preview inline, a PDF and a zip offer Download', async ({ launch }, testInfo) => {
  const app = await launch([stdioFixture('media', { FIXTURE_MEDIA_RESOURCES: '1' })]);
  const { page } = app;
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
  await expect(pdf).toContainText('PDF documents are not shown inline');
  const download = page.waitForEvent('download');
  await pdf.getByRole('link', { name: 'Download document.pdf' }).click();
  expect((await download).suggestedFilename()).toBe('document.pdf');

  const zip = await read('archive');
  await expect(zip).toContainText('application/zip · 22 B');
  await expect(zip).toContainText('No preview for application/zip');
  await expect(zip.getByRole('link', { name: 'Download archive.zip' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('media-files-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('media-files-dark.png') });
});
