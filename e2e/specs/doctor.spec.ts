import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { BROKEN_SERVER, E2E_TAG, startBrokenRemoteServer } from '../support/processes';
import { expect, test } from '../support/test';
import { expectStatus, serverRow } from '../support/ui';

// The connection doctor from the UI on three broken servers: one that prints a banner on stdout (it connects: the
// header's Diagnose), one that exits at once and a URL that answers 404 (their connect fails: the error's "Diagnose
// this connection"). The failed step and its fix are read from the screen; the failed step is labelled "Failed" (not by
// colour alone) and takes the focus. Axe-clean in light and dark.

function broken(mode: 'banner' | 'exits') {
  return { name: `broken-${mode}`, transport: 'stdio' as const, command: process.execPath, args: [BROKEN_SERVER, mode, E2E_TAG], env: {} };
}

/** The doctor's panel once its run ended, and the step that failed. */
async function diagnosis(page: Page, failedId: string): Promise<{ panel: Locator; failed: Locator }> {
  const panel = page.getByRole('region', { name: 'Connection doctor' });
  await expect(panel).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  const failed = panel.getByTestId(`doctor-check-${failedId}`);
  await expect(failed).toHaveAttribute('aria-current', 'step');
  await expect(failed).toBeFocused();
  await expect(failed.locator('.doctor-status')).toHaveText('✗ Failed');
  return { panel, failed };
}

test('the doctor on a banner on stdout, a server that exits at once and a 404 URL: the failed step and its fix on screen; axe-clean', async ({ launch }, testInfo) => {
  const notFound = await startBrokenRemoteServer('http-404', E2E_TAG);
  try {
    const app = await launch([broken('banner'), broken('exits'), { name: 'not-found', transport: 'streamable-http', url: notFound.url.href, headers: {} }]);
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 1100 });

    // On demand, from the header, for a server that connects despite its banner.
    await serverRow(page, 'broken-banner').click();
    await page.getByRole('region', { name: 'Server broken-banner' }).getByRole('button', { name: 'Diagnose', exact: true }).click();
    const banner = await diagnosis(page, 'stdout-json-only');
    await expect(banner.failed).toContainText('Stdout carries only JSON-RPC');
    await expect(banner.failed.getByRole('figure')).toContainText('Weather MCP server v1.0 starting...');
    await expect(banner.failed).toContainText('Fix: Send logs, banners and debug output to stderr');
    await expect(banner.panel.getByTestId('doctor-check-handshake').locator('.doctor-status')).toHaveText('✓ Passed');
    await expect(banner.panel.getByTestId('doctor-summary')).toContainText('Failed at “Stdout carries only JSON-RPC”');
    await banner.panel.screenshot({ path: testInfo.outputPath('doctor-banner.png') });

    // Prominently, when a connect failed: a server that exits at once.
    await serverRow(page, 'broken-exits').click();
    await page.getByRole('button', { name: 'Connect broken-exits', exact: true }).click();
    await expectStatus(page, 'broken-exits', 'error');
    await page.getByRole('button', { name: 'Diagnose this connection', exact: true }).click();
    const exits = await diagnosis(page, 'process-starts');
    await expect(exits.failed).toContainText('exited with code 1 right after it started');
    await expect(exits.failed.getByRole('figure')).toContainText('Error: API_KEY is not set');
    await expect(exits.panel.getByTestId('doctor-check-environment-variables')).toContainText('Fix: Add API_KEY to the server');
    await expect(exits.panel.getByTestId('doctor-check-handshake')).toContainText('Skipped');

    // A URL that answers 404.
    await serverRow(page, 'not-found').click();
    await page.getByRole('button', { name: 'Connect not-found', exact: true }).click();
    await expectStatus(page, 'not-found', 'error');
    await page.getByRole('button', { name: 'Diagnose this connection', exact: true }).click();
    const missing = await diagnosis(page, 'http-status');
    await expect(missing.failed).toContainText('POST /mcp answered 404 Not Found');
    await expect(missing.failed).toContainText('Fix: Check the path of the URL');
    await expect(missing.panel.getByTestId('doctor-check-cors')).toContainText('CORS is not a factor');
    await page.screenshot({ path: testInfo.outputPath('doctor-404-light.png'), fullPage: true });

    // By keyboard: Diagnose again with Enter runs it anew, and the focus lands on the failed step again.
    await missing.panel.getByRole('button', { name: 'Diagnose again', exact: true }).focus();
    await page.keyboard.press('Enter');
    await diagnosis(page, 'http-status');

    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const audit = await new AxeBuilder({ page }).include('.doctor').analyze();
      expect(audit.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`), scheme).toEqual([]);
    }
    await page.screenshot({ path: testInfo.outputPath('doctor-404-dark.png'), fullPage: true });

    await missing.panel.getByRole('button', { name: 'Close the diagnosis', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Connection doctor' })).toHaveCount(0);
  } finally {
    await notFound.stop();
  }
});
