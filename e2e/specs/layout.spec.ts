import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { stdioFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { expectStatus, serverRow } from '../support/ui';

// The app's layout at the sizes people use: a laptop (1280×800), a half screen (900×600) and the window's minimum
// (760×480, src-main/shell/window-options.ts). The inspector's tabs and the first rows of its Tools list must be on
// screen without scrolling (a short window folds the server's facts to a line above them), nothing
// scrolls sideways, below 1000 px the server list is a drawer behind a rail, and resized panels keep their size.
// Screenshots in light and dark land in test-results/e2e (layout-<size>-<scheme>.png) to be looked at.

const SIZES = [
  { width: 1280, height: 800 },
  { width: 900, height: 600 },
  { width: 760, height: 480 },
] as const;

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const root = document.scrollingElement!;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
  expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.clientWidth);
}

/** Opens the server list: directly on a wide window, through the rail's drawer on a narrow one. */
async function showServerList(page: Page): Promise<void> {
  if (page.viewportSize()!.width < 1000) {
    const toggle = page.getByRole('button', { name: 'Server list' });
    if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  }
  await expect(page.getByRole('navigation', { name: 'Server list' })).toBeVisible();
}

for (const size of SIZES) {
  test(`at ${size.width}×${size.height} the inspector's tabs are on screen and nothing scrolls sideways`, async ({ launch }, testInfo) => {
    const app = await launch([stdioFixture('weather'), stdioFixture('a server with a rather long name for a narrow list')]);
    const { page } = app;
    await page.setViewportSize(size);
    await showServerList(page);
    await serverRow(page, 'weather').click();
    const detail = page.getByRole('region', { name: 'Server weather' });
    await detail.getByRole('button', { name: 'Connect', exact: true }).click();
    await expectStatus(page, 'weather', 'ready');
    await expect(page.getByRole('log', { name: 'stderr of weather' })).toContainText('started');
    const inspector = page.getByRole('region', { name: 'Inspector for weather' });
    for (const tab of ['Tools', 'Resources', 'Prompts']) await expect(inspector.getByRole('tab', { name: tab })).toBeInViewport({ ratio: 1 });
    // A short window folds the server's facts to one line; a tall one shows them. Either way the user can switch.
    const fold = detail.getByRole('button', { name: 'Server info' });
    const lastActivity = detail.getByText('Last activity', { exact: true });
    if (size.height <= 700) {
      await expect(fold).toHaveAttribute('aria-expanded', 'false');
      await expect(detail.getByTestId('facts-summary')).toHaveText(/^Ready · STDIO · patchbay-fixture 1\.2\.3 · .* · pid \d+$/);
      await expect(lastActivity).toBeHidden();
      await fold.click();
      await expect(lastActivity).toBeVisible();
      await fold.click();
      await expect(lastActivity).toBeHidden();
    } else {
      await expect(fold).toHaveAttribute('aria-expanded', 'true');
      await expect(lastActivity).toBeVisible();
    }
    await expectNoSidewaysScroll(page);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: testInfo.outputPath(`layout-${size.width}x${size.height}-${scheme}.png`) });
    }
    // The Tools tab's content starts on screen too: its first rows, without scrolling the page.
    await inspector.getByRole('tab', { name: 'Tools' }).click();
    const tools = inspector.getByRole('tabpanel', { name: 'Tools' }).getByRole('region', { name: 'Tools', exact: true }).getByRole('listitem');
    await expect(tools.first()).toBeVisible();
    for (const row of [0, 1, 2]) await expect(tools.nth(row)).toBeInViewport({ ratio: 1 });
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: testInfo.outputPath(`layout-${size.width}x${size.height}-tools-dark.png`) });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: testInfo.outputPath(`layout-${size.width}x${size.height}-tools-light.png`) });
    await page.emulateMedia({ colorScheme: 'dark' });
    if (size.width < 1000) {
      await showServerList(page);
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: testInfo.outputPath(`layout-${size.width}x${size.height}-drawer-dark.png`) });
    }
  });
}

test('the stderr console resizes by keyboard and by drag, collapses, and keeps its size and state after a reload', async ({ launch }) => {
  const app = await launch([stdioFixture('weather')]);
  const { page } = app;
  await serverRow(page, 'weather').click();
  const log = page.getByRole('log', { name: 'stderr of weather' });
  const bar = page.getByRole('separator', { name: 'Resize stderr console' });
  await expect(log).toBeVisible();
  const initial = Number(await bar.getAttribute('aria-valuenow'));
  const logHeight = async () => (await log.boundingBox())!.height;
  expect(Math.round(await logHeight())).toBe(initial);

  // Keyboard: Up grows it by a step, Shift+Up by a big one, Enter puts the default back.
  await bar.focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Shift+ArrowUp');
  await expect(bar).toHaveAttribute('aria-valuenow', String(initial + 16 + 64));
  expect(Math.round(await logHeight())).toBe(initial + 80);
  await page.keyboard.press('Enter');
  await expect(bar).toHaveAttribute('aria-valuenow', String(initial));
  await page.keyboard.press('ArrowUp');
  await expect(bar).toHaveAttribute('aria-valuenow', String(initial + 16));
  await page.reload();
  await serverRow(page, 'weather').click();
  await expect(bar).toHaveAttribute('aria-valuenow', String(initial + 16));

  // Drag: pulling the bar up by 100 px makes the console 100 px taller.
  const box = (await bar.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 50, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 100, { steps: 4 });
  await page.mouse.up();
  await expect(bar).toHaveAttribute('aria-valuenow', String(initial + 116));
  await page.reload();
  await serverRow(page, 'weather').click();
  await expect(bar).toHaveAttribute('aria-valuenow', String(initial + 116));
  expect(Math.round(await logHeight())).toBe(initial + 116);

  // Collapsed to its heading, it stays collapsed after a reload, and opens again at its size.
  const toggle = page.getByRole('button', { name: 'stderr' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.click();
  await expect(log).toBeHidden();
  await page.reload();
  await serverRow(page, 'weather').click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(log).toBeHidden();
  await toggle.click();
  await expect(log).toBeVisible();
  await expect(bar).toHaveAttribute('aria-valuenow', String(initial + 116));
});

test('the server list resizes by keyboard and keeps its width after a reload; double-click resets it', async ({ launch }) => {
  const app = await launch([stdioFixture('weather')]);
  const { page } = app;
  const list = page.getByRole('navigation', { name: 'Server list' });
  const bar = page.getByRole('separator', { name: 'Resize server list' });
  const initial = Number(await bar.getAttribute('aria-valuenow'));
  expect(Math.round((await list.boundingBox())!.width)).toBe(initial);
  await bar.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(bar).toHaveAttribute('aria-valuenow', String(initial + 32));
  await page.reload();
  await expect(bar).toHaveAttribute('aria-valuenow', String(initial + 32));
  expect(Math.round((await list.boundingBox())!.width)).toBe(initial + 32);
  await bar.dblclick();
  await expect(bar).toHaveAttribute('aria-valuenow', String(initial));
  await page.keyboard.press('End');
  await expect(bar).toHaveAttribute('aria-valuenow', String(await bar.getAttribute('aria-valuemax')));
});

test('below 1000 px the server list is a drawer behind the rail: it opens, selecting a server closes it, Escape closes it', async ({ launch }) => {
  const app = await launch([stdioFixture('weather'), stdioFixture('files')]);
  const { page } = app;
  await page.setViewportSize({ width: 900, height: 600 });
  const list = page.getByRole('navigation', { name: 'Server list' });
  const toggle = page.getByRole('button', { name: 'Server list' });
  await expect(list).toBeHidden();
  await expect(page.getByRole('separator', { name: 'Resize server list' })).toHaveCount(0);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(list).toBeVisible();
  // The focus goes into the list, so the arrows move between servers straight away.
  await expect(serverRow(page, 'weather')).toBeFocused();
  await serverRow(page, 'files').click();
  await expect(list).toBeHidden();
  await expect(page.getByRole('region', { name: 'Server files' })).toBeVisible();
  await toggle.click();
  await expect(list).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(toggle).toBeFocused();
  // Widening the window brings the list back beside the detail.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(list).toBeVisible();
  await expect(toggle).toHaveCount(0);
});

test('an empty catalog offers the three ways in: Add server, Import config file and Find my configs', async ({ launch }, testInfo) => {
  test.skip(testInfo.project.name !== 'web', 'the fake home (PATCHBAY_FIND_CONFIGS_HOME) is honoured by web mode only');
  const root = mkdtempSync(join(tmpdir(), 'patchbay-e2e-empty-'));
  const configFile = join(root, 'claude_desktop_config.json');
  writeFileSync(configFile, JSON.stringify({ mcpServers: { weather: stdioFixture('weather') } }));
  const saved = process.env.PATCHBAY_FIND_CONFIGS_HOME;
  process.env.PATCHBAY_FIND_CONFIGS_HOME = join(root, 'home');
  try {
    const { page } = await launch();
    await page.setViewportSize({ width: 760, height: 480 });
    const empty = page.getByRole('region', { name: 'No servers yet' });
    await expect(empty).toBeVisible();
    await expectNoSidewaysScroll(page);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: testInfo.outputPath(`empty-state-760x480-${scheme}.png`) });
    }

    await empty.getByRole('button', { name: 'Add server' }).click();
    const add = page.getByRole('dialog', { name: 'Add server' });
    await expect(add).toBeVisible();
    await add.getByRole('button', { name: 'Cancel' }).click();
    await expect(add).toBeHidden();

    await empty.getByRole('button', { name: 'Find my configs' }).click();
    const found = page.getByRole('dialog', { name: 'Find my configs' });
    await expect(found).toBeVisible();
    await found.getByRole('button', { name: 'Cancel' }).click();
    await expect(found).toBeHidden();

    const chooser = page.waitForEvent('filechooser');
    await empty.getByRole('button', { name: 'Import config file…' }).click();
    await (await chooser).setFiles(configFile);
    const preview = page.getByRole('dialog', { name: 'Import servers' });
    await expect(preview).toBeVisible();
    await preview.getByRole('button', { name: 'Import 1 server' }).click();
    await expect(preview).toBeHidden();
    await expect(serverRow(page, 'weather')).toBeAttached();
    // With a server in the catalog the empty state gives way to the detail pane.
    await expect(empty).toBeHidden();
    await expect(page.getByRole('region', { name: 'Server weather' })).toBeVisible();
  } finally {
    if (saved === undefined) delete process.env.PATCHBAY_FIND_CONFIGS_HOME;
    else process.env.PATCHBAY_FIND_CONFIGS_HOME = saved;
  }
});

test("the timeline's message detail resizes by keyboard and keeps its width after a reload", async ({ launch }) => {
  const app = await launch([stdioFixture('weather')]);
  const { page } = app;
  await page.getByRole('button', { name: 'Connect weather', exact: true }).click();
  await expectStatus(page, 'weather', 'ready');
  const openDetail = async () => {
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const view = page.getByRole('tabpanel', { name: 'Timeline' });
    await view.getByTestId('timeline-row').first().click();
    const detail = view.getByRole('region', { name: 'Message details' });
    await expect(detail).toBeVisible();
    return detail;
  };
  const detail = await openDetail();
  const bar = page.getByRole('separator', { name: 'Resize message detail' });
  const initial = Number(await bar.getAttribute('aria-valuenow'));
  expect(Math.round((await detail.boundingBox())!.width)).toBe(initial);
  // The panel is on the right: Left makes it wider.
  await bar.focus();
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(bar).toHaveAttribute('aria-valuenow', String(initial + 64));
  expect(Math.round((await detail.boundingBox())!.width)).toBe(initial + 64);
  await page.reload();
  await page.getByRole('button', { name: 'Connect weather', exact: true }).click();
  await expectStatus(page, 'weather', 'ready');
  const reopened = await openDetail();
  await expect(bar).toHaveAttribute('aria-valuenow', String(initial + 64));
  expect(Math.round((await reopened.boundingBox())!.width)).toBe(initial + 64);
});
