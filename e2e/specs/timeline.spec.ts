import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { stdioFixture } from '../support/processes';
import { expectStatus } from '../support/ui';

/** The web-mode test hook the timeline exposes (src-renderer/src/timeline/test-hook.ts); typed here, not imported. */
interface TimelineHook {
  ingestSynthetic(count: number): { messages: number; calls: number; errorCalls: number; servers: string[] };
  stats(): { total: number; shown: number; dropped: number; cap: number };
}
type HookWindow = Window & { __patchbayTimeline?: TimelineHook };

async function openTimeline(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Timeline', exact: true }).click();
  const view = page.getByRole('tabpanel', { name: 'Timeline' });
  await expect(view).toBeVisible();
  return view;
}

const rows = (view: Locator) => view.getByTestId('timeline-row');
const shownCount = (view: Locator) => view.getByTestId('timeline-counts');

test('the timeline shows a connect’s initialize with its duration, filters to it, opens its JSON and exports it', async ({ launch }) => {
  const app = await launch([stdioFixture('weather')]);
  const { page } = app;
  await page.getByRole('button', { name: 'Connect weather', exact: true }).click();
  await expectStatus(page, 'weather', 'ready');
  const view = await openTimeline(page);

  // A connect in Auto first asks server/discover, which the legacy-only fixture does not know (the proxy says so),
  // then initialize →, its response ←, notifications/initialized →: the request shows how long the answer took.
  await expect(rows(view).filter({ hasText: 'server/discover' })).toHaveCount(2);
  const request = rows(view).filter({ hasText: 'initialize' }).filter({ hasText: 'req' }).first();
  await expect(request).toBeVisible();
  await expect(request).toContainText('→');
  await expect(request).toContainText('weather');
  await expect(request.getByRole('gridcell').last()).toHaveText(/^\d+(\.\d+)? (ms|s)$/);
  await expect(rows(view).filter({ hasText: 'notifications/initialized' })).toHaveCount(1);

  // Filters: method (a response counts as its request's method), direction, free text in the body.
  await view.getByRole('combobox', { name: 'Method', exact: true }).selectOption('initialize');
  await expect(rows(view)).toHaveCount(2);
  await expect(rows(view).nth(1)).toContainText('res');
  await expect(rows(view).nth(1)).toContainText('←');
  await view.getByRole('combobox', { name: 'Direction', exact: true }).selectOption('client-to-server');
  await expect(rows(view)).toHaveCount(1);
  await view.getByRole('combobox', { name: 'Direction', exact: true }).selectOption('');
  await view.getByRole('searchbox', { name: 'Search', exact: true }).fill('CLIENTinfo');
  await expect(rows(view)).toHaveCount(1);
  await expect(shownCount(view)).toContainText('1 of 5 shown');
  await view.getByRole('searchbox', { name: 'Search', exact: true }).fill('');
  await view.getByRole('combobox', { name: 'Server', exact: true }).selectOption('weather');
  await expect(rows(view)).toHaveCount(2);

  // Opening the request shows its JSON, pretty-printed, and links to its response.
  await rows(view).first().click();
  const detail = view.getByRole('region', { name: 'Message details' });
  await expect(detail).toBeVisible();
  const json = detail.getByLabel('Message JSON');
  await expect(json).toContainText('"method": "initialize"');
  await expect(json).toContainText('"clientInfo": {');
  await expect(rows(view).nth(1)).toHaveClass(/is-related/);
  await detail.getByRole('button', { name: /^initialize #\d+ \(response\)/ }).click();
  await expect(json).toContainText('"serverInfo": {');
  await detail.getByRole('button', { name: 'Close message details' }).click();
  await expect(detail).toBeHidden();

  // Keyboard: rows take focus, arrows move the selection, Enter opens.
  await rows(view).first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(rows(view).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(rows(view).nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(detail.getByLabel('Message JSON')).toContainText('"protocolVersion"');
  await page.keyboard.press('ArrowUp');
  await expect(detail.getByLabel('Message JSON')).toContainText('"clientInfo"');

  // Export the two shown messages.
  const downloading = page.waitForEvent('download');
  await view.getByRole('button', { name: 'Export JSON', exact: true }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^patchbay-timeline-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { count: number; filter: { method: string }; messages: Record<string, unknown>[] };
  expect(exported.count).toBe(2);
  expect(exported.filter.method).toBe('initialize');
  expect(exported.messages.map((message) => [message.kind, message.method, message.direction])).toEqual([
    ['request', 'initialize', 'client-to-server'],
    ['response', 'initialize', 'server-to-client'],
  ]);
  expect(exported.messages[0]).toMatchObject({ server: 'weather', isError: false, body: { method: 'initialize' } });
  expect(typeof exported.messages[0]!.durationMs).toBe('number');
  expect(exported.messages[1]!.durationMs).toBe(exported.messages[0]!.durationMs);

  // Clear empties it; a new connect's traffic arrives again.
  await view.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(shownCount(view)).toContainText('0 of 0 shown');
});

test('100,000 messages stay usable: virtualized rows, exact filter counts, scrolling, the cap and its dropped counter', async ({ launch }) => {
  const app = await launch();
  const { page } = app;
  const view = await openTimeline(page);
  const summary = await page.evaluate(() => (window as HookWindow).__patchbayTimeline!.ingestSynthetic(100_000));
  expect(summary.messages).toBe(100_000);
  await expect(shownCount(view)).toContainText('100,000 of 100,000 shown');
  await expect(view.getByTestId('timeline-dropped')).toHaveCount(0);

  // Only the rows in view are in the DOM, and it follows the newest.
  expect(await rows(view).count()).toBeLessThan(120);
  await expect(rows(view).last()).toHaveAttribute('aria-rowindex', '100001');
  await expect(view.getByRole('button', { name: 'Follow', exact: true })).toHaveAttribute('aria-pressed', 'true');

  // A unique text: its request and its response.
  const search = view.getByRole('searchbox', { name: 'Search', exact: true });
  await search.fill('echo-004242');
  await expect(shownCount(view)).toContainText('2 of 100,000 shown');
  await expect(rows(view)).toHaveCount(2);
  await expect(rows(view).first()).toContainText('tools/call');
  await search.fill('');
  await view.getByRole('checkbox', { name: 'Errors only', exact: true }).check();
  await expect(view.getByTestId('timeline-shown')).toHaveText((2 * summary.errorCalls).toLocaleString('en-US'));
  await view.getByRole('checkbox', { name: 'Errors only', exact: true }).uncheck();
  await view.getByRole('combobox', { name: 'Server', exact: true }).selectOption('beta');
  await view.getByRole('combobox', { name: 'Method', exact: true }).selectOption('notifications/progress');
  const expected = await page.evaluate(() => (window as HookWindow).__patchbayTimeline!.stats().shown);
  expect(expected).toBeGreaterThan(1000);
  await expect(view.getByTestId('timeline-shown')).toHaveText(expected.toLocaleString('en-US'));
  await view.getByRole('combobox', { name: 'Server', exact: true }).selectOption('');
  await view.getByRole('combobox', { name: 'Method', exact: true }).selectOption('');

  // Scrolling to the top and to the middle shows those rows; scrolling up stops following.
  const scroller = view.getByTestId('timeline-scroll');
  await scroller.evaluate((element) => (element.scrollTop = 0));
  await expect(rows(view).first()).toHaveAttribute('aria-rowindex', '2');
  await expect(rows(view).first()).toContainText('tools/call');
  await expect(view.getByRole('button', { name: 'Follow', exact: true })).toHaveAttribute('aria-pressed', 'false');
  await scroller.evaluate((element) => (element.scrollTop = element.scrollHeight / 2));
  await expect
    .poll(async () => Number(await rows(view).nth(10).getAttribute('aria-rowindex')))
    .toBeGreaterThan(45_000);
  await expect(rows(view).nth(10)).toBeVisible();
  await scroller.evaluate((element) => element.scrollBy(0, 2_000));
  await expect(rows(view).nth(10)).toBeVisible();

  // Over the cap the oldest go, and the counter says how many; the rows in view stay put meanwhile (not following).
  const inView = await rows(view).nth(10).getAttribute('data-ordinal');
  await page.evaluate(() => (window as HookWindow).__patchbayTimeline!.ingestSynthetic(500));
  await expect(view.getByTestId('timeline-dropped')).toHaveText('· 500 dropped');
  await expect(rows(view).nth(10)).toHaveAttribute('data-ordinal', inView!);
  await expect(rows(view).nth(10)).toBeInViewport();
  await expect(shownCount(view)).toContainText('100,000 of 100,000 shown');
  // A lower cap drops at once.
  const cap = view.getByRole('spinbutton', { name: 'Keep last', exact: true });
  await cap.fill('50000');
  await cap.press('Enter');
  await expect(shownCount(view)).toContainText('50,000 of 50,000 shown');
  await expect(view.getByTestId('timeline-dropped')).toHaveText('· 50,500 dropped');
  await view.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(rows(view).last()).toHaveAttribute('aria-rowindex', '50001');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`timeline screenshot in ${scheme}`, async ({ launch }, testInfo) => {
    const app = await launch([stdioFixture('weather')]);
    const { page } = app;
    await page.emulateMedia({ colorScheme: scheme });
    await page.getByRole('button', { name: 'Connect weather', exact: true }).click();
    await expectStatus(page, 'weather', 'ready');
    const view = await openTimeline(page);
    await page.evaluate(() => (window as HookWindow).__patchbayTimeline!.ingestSynthetic(400));
    // The connect's server/discover probe and its refusal, initialize, its response and notifications/initialized.
    await expect(shownCount(view)).toContainText('405 of 405 shown');
    // A call with progress notifications (every 5th call), selected and open: its group is highlighted.
    await view.getByRole('searchbox', { name: 'Search', exact: true }).fill('progresstoken":130');
    await rows(view).first().click();
    await view.getByRole('searchbox', { name: 'Search', exact: true }).fill('');
    await expect(view.getByRole('region', { name: 'Message details' })).toBeVisible();
    await expect(view.locator('.tl-row.is-related')).toHaveCount(3);
    await page.screenshot({ path: testInfo.outputPath(`timeline-${scheme}.png`) });
  });
}
