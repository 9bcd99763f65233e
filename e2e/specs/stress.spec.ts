import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { stdioFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { expectStatus, openInspector, showTab } from '../support/ui';

// The Stress tab against the fixture server's `mixed` tool (src-main/test/fixtures/fixture-server.mjs): 200 calls in
// flight with 10 % cancelled, read from the result (calls, cancels counted, p99 shown); Stop leaves no session of the
// run; two saved runs compared and one exported as CSV; axe-clean and screenshotted in light and dark.

async function stressTab(page: Page, name: string): Promise<Locator> {
  await page.getByRole('button', { name: `Connect ${name}`, exact: true }).click();
  await expectStatus(page, name, 'ready');
  const inspector = await openInspector(page, name);
  const panel = await showTab(inspector, 'Stress');
  await panel.getByLabel('Tool', { exact: true }).selectOption('mixed');
  return panel;
}

async function setLoad(panel: Locator, load: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(load)) await panel.getByLabel(label, { exact: true }).fill(value);
}

const figure = (panel: Locator, id: string): Locator => panel.getByTestId(`stress-${id}`).locator('dd');

for (const scheme of ['light', 'dark'] as const) {
  test(`200 calls in flight with 10 % cancelled: calls, cancels and p99 read from the result; axe-clean (${scheme})`, async ({ launch }, testInfo) => {
    const app = await launch([stdioFixture('loaded')]);
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.emulateMedia({ colorScheme: scheme });
    const panel = await stressTab(page, 'loaded');
    // The tool's own form: a 20 ms answer, cancels 5 ms after sending, so each chosen call is cancelled before it.
    await panel.getByLabel('delayMs').fill('20');
    await setLoad(panel, { 'Calls in flight': '200', 'Duration (s)': '', Calls: '2000', 'Cancel (% of calls)': '10', 'Cancel after (ms)': '5' });
    await panel.getByRole('button', { name: 'Start', exact: true }).click();
    const live = panel.getByTestId('stress-live');
    await expect(live).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
    await expect(panel.getByTestId('stress-state')).toHaveText('Run completed · 100 %');
    await expect(figure(panel, 'sent')).toHaveText('2000');
    // Every 10th call is chosen (exactly 200); one that answered before its cancel went out counts as answered.
    const cancelled = Number(await figure(panel, 'cancelled').textContent());
    const ok = Number(await figure(panel, 'ok').textContent());
    expect(cancelled).toBeGreaterThan(150);
    expect(cancelled).toBeLessThanOrEqual(200);
    expect(ok + cancelled).toBe(2000);
    await expect(figure(panel, 'errors')).toHaveText('0');
    await expect(figure(panel, 'p99')).toHaveText(/^\d+(\.\d+)? (ms|s)$/);
    expect(Number.parseFloat((await figure(panel, 'p99').textContent()) ?? '')).toBeGreaterThan(0);
    await expect(panel.getByTestId('stress-latency-chart').getByRole('img')).toHaveAttribute('aria-label', /^Latency per second over \d+ s; last second p50/);
    await expect(panel.getByTestId('stress-histogram').getByRole('img')).toHaveAttribute('aria-label', /^Latency histogram of \d+ buckets/);
    await expect(panel.getByTestId('stress-server-load')).toContainText('Server processes:');
    // Saved with the server's version and the settings.
    const saved = panel.getByTestId('stress-saved-run');
    await expect(saved).toHaveCount(1);
    await expect(saved.first()).toContainText('tools/call mixed');
    await expect(saved.first()).toContainText('200 in flight, 10 % cancelled');
    // The run's sessions are gone; the inspector's own session is the only one left.
    await expect.poll(async () => (await app.sessions()).filter((session) => session.server === 'loaded').length).toBe(1);
    await page.screenshot({ path: testInfo.outputPath(`stress-${scheme}.png`) });
    // The inspector scrolls inside the window: the result and the saved runs are shot on their own.
    await live.screenshot({ path: testInfo.outputPath(`stress-result-${scheme}.png`) });
    await panel.getByRole('region', { name: 'Saved stress runs' }).screenshot({ path: testInfo.outputPath(`stress-saved-${scheme}.png`) });
    const results = await new AxeBuilder({ page }).include('[data-testid="stress-view"]').analyze();
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
  });
}

test('Stop cancels the calls in flight and closes every session of the run; two runs compared; CSV exported', async ({ launch }) => {
  const app = await launch([stdioFixture('stopper')]);
  const { page } = app;
  const panel = await stressTab(page, 'stopper');
  await panel.getByLabel('delayMs').fill('10000');
  await setLoad(panel, { 'Calls in flight': '20', 'Duration (s)': '60', Sessions: '3' });
  // Keyboard only: Start is a submit button.
  await panel.getByRole('button', { name: 'Start', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(figure(panel, 'in-flight')).toHaveText('20', { timeout: 30_000 });
  await expect.poll(async () => (await app.sessions()).filter((session) => session.server === 'stopper').length).toBe(4);
  await panel.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(panel.getByTestId('stress-live')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(panel.getByTestId('stress-state')).toHaveText(/^Run stopped/);
  await expect(figure(panel, 'cancelled')).toHaveText('20');
  await expect.poll(async () => (await app.sessions()).filter((session) => session.server === 'stopper').length).toBe(1);

  // A second, short run, then the two side by side.
  await panel.getByLabel('delayMs').fill('0');
  await setLoad(panel, { 'Calls in flight': '5', 'Duration (s)': '', Calls: '50', Sessions: '1' });
  await panel.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(panel.getByTestId('stress-state')).toHaveText('Run completed · 100 %', { timeout: 60_000 });
  const runs = panel.getByTestId('stress-saved-run');
  await expect(runs).toHaveCount(2);
  for (const index of [0, 1]) await runs.nth(index).getByRole('checkbox').check();
  await panel.getByRole('button', { name: 'Compare the two chosen runs' }).click();
  const compare = panel.getByTestId('stress-compare');
  await expect(compare.getByRole('row', { name: /^Server version/ })).toContainText('patchbay-fixture 1.2.3');
  await expect(compare.getByRole('row', { name: /^Calls in flight/ })).toContainText(/5\s*20|20\s*5/);
  await expect(compare.getByRole('row', { name: /^Cancelled/ }).first()).toBeVisible();

  const download = page.waitForEvent('download');
  await runs.first().getByRole('button', { name: /as CSV$/ }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^stress-stopper-.*\.csv$/);
  const text = await (await file.createReadStream()).toArray();
  expect(Buffer.concat(text).toString('utf8')).toContain('server version,1.2.3');
});
