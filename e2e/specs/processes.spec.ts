import AxeBuilder from '@axe-core/playwright';
import type { Locator } from '@playwright/test';
import type { PatchbayHost } from '../support/patchbay-host';
import { stdioFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { callTool, expectStatus, openInspector, serverRow, showTab } from '../support/ui';

// The Processes tab of a stdio server against the fixture server (src-main/test/fixtures/fixture-server.mjs): the
// child's memory rises after its allocate tool runs; a grandchild its leak tool starts outlives the session, shows
// in red with End process, and End ends it; axe finds nothing serious in light or dark; screenshots of both.

const MB = 1024 * 1024;

async function connectInspector(app: PatchbayHost, name: string): Promise<Locator> {
  await app.page.getByRole('button', { name: `Connect ${name}`, exact: true }).click();
  await expectStatus(app.page, name, 'ready');
  return openInspector(app.page, name);
}

/** The resident memory the view shows for a process (its row's data-rss-bytes), once it has a sample. */
async function rssOf(scope: Locator, pid: number): Promise<number> {
  const row = scope.locator(`[data-testid="process-row"][data-pid="${pid}"]`);
  await expect(row).not.toHaveAttribute('data-rss-bytes', '', { timeout: 20_000 });
  return Number(await row.getAttribute('data-rss-bytes'));
}

/** Ends a pid if it still runs: a grandchild leaked on purpose never outlives its test. */
function endIfAlive(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

test("a child's memory rises in the Processes tab after its allocate tool runs", async ({ launch }) => {
  const app = await launch([stdioFixture('mon')]);
  const inspector = await connectInspector(app, 'mon');
  const pid = Number(await (await callTool(inspector, 'pid', {}, /^\d+$/)).textContent());
  let panel = await showTab(inspector, 'Processes');
  const child = panel.locator(`[data-testid="process-child"][data-pid="${pid}"]`);
  await expect(child).toBeVisible();
  await expect(child.getByRole('table', { name: `Process tree of ${pid}` })).toBeVisible();
  const before = await rssOf(panel, pid);

  await callTool(inspector, 'allocate', { mb: '200' }, 'holding 200 MB');
  panel = await showTab(inspector, 'Processes');
  // Well over half of the 200 MB must show; the view keeps sampling while the tab is shown.
  await expect.poll(() => rssOf(panel, pid), { timeout: 20_000 }).toBeGreaterThan(before + 100 * MB);
  await expect(child.getByRole('img', { name: new RegExp(`^Memory of ${pid} over the last \\d+ samples`) })).toBeVisible();
  await callTool(inspector, 'free', {}, 'freed 200 MB');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a leaked grandchild shows red with End process, which ends it; axe-clean (${scheme})`, async ({ launch }, testInfo) => {
    const app = await launch([stdioFixture('leaky')]);
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.emulateMedia({ colorScheme: scheme });
    const inspector = await connectInspector(app, 'leaky');
    let leaked: number | undefined;
    try {
      const panel = await showTab(inspector, 'Processes');
      leaked = Number(await (await callTool(inspector, 'leak', { lifetimeMs: '60000' }, /^\d+$/)).textContent());
      await showTab(inspector, 'Processes');
      // The sampler records the grandchild while the session runs.
      await expect(panel.locator(`[data-testid="process-row"][data-pid="${leaked}"]`)).not.toHaveAttribute('data-rss-bytes', '', { timeout: 20_000 });
      await page.screenshot({ path: testInfo.outputPath(`processes-running-${scheme}.png`) });

      await page.getByRole('button', { name: 'Disconnect leaky', exact: true }).click();
      await expectStatus(page, 'leaky', 'disconnected');
      await serverRow(page, 'leaky').click();
      const recorded = page.getByRole('region', { name: 'Processes of leaky' });
      const row = recorded.locator(`[data-testid="process-row"][data-pid="${leaked}"]`);
      await expect(row).toHaveAttribute('data-leaked', 'true', { timeout: 20_000 });
      await expect(recorded.getByRole('alert')).toHaveText('1 process is still running after its session ended.');
      // Its own child (an Auto connect's server/discover probe ran a child of its own, ended too, listed apart).
      const card = recorded.getByTestId('process-child').filter({ has: page.locator(`[data-testid="process-row"][data-pid="${leaked}"]`) });
      await expect(card.getByTestId('process-exit')).toContainText(/killed by SIGTERM|exited with code/);
      await expect(card.getByRole('region', { name: /^Last stderr lines of/ })).toContainText(`leaked grandchild ${leaked}`);
      await page.screenshot({ path: testInfo.outputPath(`processes-leaked-${scheme}.png`) });

      const results = await new AxeBuilder({ page }).include('[aria-label="Processes of leaky"]').analyze();
      expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);

      // Keyboard: End process is reachable and pressed with Enter.
      const end = row.getByRole('button', { name: `End process ${leaked}` });
      await end.focus();
      await page.keyboard.press('Enter');
      await expect(recorded.getByRole('status').filter({ hasText: 'ended pid' })).toContainText(`ended pid ${leaked} of "leaky": it ignored SIGTERM; SIGKILL ended it`, { timeout: 20_000 });
      await expect(row).toHaveAttribute('data-leaked', 'false');
      await expect(recorded.getByRole('alert')).toHaveCount(0);
    } finally {
      endIfAlive(leaked);
    }
  });
}
