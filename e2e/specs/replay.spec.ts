import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { stdioFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { callTool, expectStatus, openInspector } from '../support/ui';

// Record and replay in the app: a session of the fixture server recorded from the Recordings view (its `env` tool
// answers with REPLAY_FLAVOR), replayed against the same server (every response equal) and against one whose
// REPLAY_FLAVOR differs: the diff, read from the screen, names the request and the path with both values. The
// recording opens in a read-only timeline of its own. Axe-clean in light and dark.

async function showView(page: Page, name: 'Servers' | 'Recordings'): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
  await expect(page.getByRole('tab', { name, exact: true })).toHaveAttribute('aria-selected', 'true');
}

test('a recording replayed with a deliberate difference: the diff names the request and the path; opened in the timeline; axe-clean', async ({ launch }, testInfo) => {
  const app = await launch([stdioFixture('shop', { REPLAY_FLAVOR: 'vanilla' }), stdioFixture('shop-next', { REPLAY_FLAVOR: 'chocolate' })]);
  const { page } = app;
  await page.setViewportSize({ width: 1280, height: 1100 });

  await showView(page, 'Recordings');
  const view = page.getByRole('tabpanel', { name: 'Recordings' });
  await view.getByLabel('Record from', { exact: true }).selectOption('shop');
  await view.getByRole('button', { name: 'Start recording', exact: true }).click();
  await expect(view.getByTestId('recording-active')).toContainText('Recording shop');

  await showView(page, 'Servers');
  await page.getByRole('button', { name: 'Connect shop', exact: true }).click();
  await expectStatus(page, 'shop', 'ready');
  const inspector = await openInspector(page, 'shop');
  await callTool(inspector, 'env', { name: 'REPLAY_FLAVOR' }, 'vanilla');

  await showView(page, 'Recordings');
  await expect(view.getByTestId('recording-active')).toContainText(/\d+ messages/);
  await view.getByRole('button', { name: 'Stop recording', exact: true }).click();
  await expect(view.getByTestId('recording-active')).toHaveCount(0);
  const row = view.getByTestId('recording-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('shop');
  await expect(row).toContainText('legacy');

  // Against the same server: every response equal.
  await row.getByRole('button', { name: 'Replay…', exact: true }).click();
  const form = view.getByRole('form', { name: /^Replay of / });
  await form.getByLabel('Replay against', { exact: true }).selectOption('shop');
  await form.getByRole('button', { name: 'Run replay', exact: true }).click();
  const result = view.getByTestId('replay-result');
  await expect(result).toHaveAttribute('data-outcome', 'match', { timeout: 60_000 });
  await expect(result.getByTestId('replay-verdict')).toHaveText('Every response matches the recording');
  await expect(result.getByTestId('replay-counts')).toContainText(/0 different, 0 skipped, 0 failed/);

  // Against the changed server: the env call differs, at its text, vanilla → chocolate.
  await form.getByLabel('Replay against', { exact: true }).selectOption('shop-next');
  await form.getByRole('button', { name: 'Run replay', exact: true }).click();
  await expect(result).toHaveAttribute('data-outcome', 'differ', { timeout: 60_000 });
  await expect(result.getByTestId('replay-verdict')).toHaveText('The responses differ from the recording');
  await expect(result.getByTestId('replay-counts')).toContainText('1 different, 0 skipped, 0 failed');
  const different = result.locator('[data-testid="replay-request"][data-outcome="different"]');
  await expect(different).toHaveCount(1);
  await expect(different).toContainText(/Different #\d+ tools\/call env/);
  const difference = different.getByTestId('replay-difference');
  await expect(difference).toHaveCount(1);
  await expect(difference.getByRole('rowheader')).toHaveText('/result/content/0/text');
  await expect(difference.locator('td').nth(0)).toHaveText('"vanilla"');
  await expect(difference.locator('td').nth(1)).toHaveText('"chocolate"');
  await result.screenshot({ path: testInfo.outputPath('replay-diff.png') });

  // The same, with the path ignored: a match.
  await form.getByLabel('Ignore paths (one per line)', { exact: true }).fill('/result/content/0/text');
  await form.getByRole('button', { name: 'Run replay', exact: true }).click();
  await expect(result).toHaveAttribute('data-outcome', 'match', { timeout: 60_000 });
  await expect(result.getByTestId('replay-counts')).toContainText('ignored: /result/content/0/text');

  // Opened in a read-only timeline of its own, clearly labelled.
  await row.getByRole('button', { name: 'Open in timeline', exact: true }).click();
  const opened = page.getByRole('region', { name: /^Recording .* \(read-only\)$/ });
  await expect(opened).toBeVisible();
  await expect(opened.getByRole('heading', { name: /^Recording: .*\(read-only\)$/ })).toBeVisible();
  await expect(opened.getByTestId('timeline-row').filter({ hasText: 'tools/call' }).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('recordings-light.png'), fullPage: true });

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const audit = await new AxeBuilder({ page }).include('#view-recordings').analyze();
    expect(audit.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`), scheme).toEqual([]);
  }
  await page.screenshot({ path: testInfo.outputPath('recordings-dark.png'), fullPage: true });

  // Deleted, it leaves the list.
  await row.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(view.getByTestId('recording-row')).toHaveCount(0);
});
