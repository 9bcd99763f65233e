import { expect, test } from '../support/test';
import { stdioFixture } from '../support/processes';
import { expectStatus, serverRow } from '../support/ui';

// Screenshots of the main views in light and dark, kept as test artifacts (test-results/e2e) to be looked at.
for (const scheme of ['light', 'dark'] as const) {
  test(`main views in ${scheme}`, async ({ launch }, testInfo) => {
    const catalog = [stdioFixture('weather'), stdioFixture('filesystem'), { name: 'missing tool', transport: 'stdio' as const, command: 'uvx-not-installed', args: ['mcp-missing'], env: {} }];
    const app = await launch(catalog);
    const { page } = app;
    await page.emulateMedia({ colorScheme: scheme });
    await page.getByRole('button', { name: 'Connect weather', exact: true }).click();
    await page.getByRole('button', { name: 'Connect missing tool', exact: true }).click();
    await expectStatus(page, 'weather', 'ready');
    await expectStatus(page, 'missing tool', 'error');
    await serverRow(page, 'weather').click();
    await expect(page.getByRole('log', { name: 'stderr of weather' })).toContainText('started');
    await page.screenshot({ path: testInfo.outputPath(`server-list-${scheme}.png`) });
    await serverRow(page, 'missing tool').click();
    await page.screenshot({ path: testInfo.outputPath(`server-error-${scheme}.png`) });
    await page.getByRole('button', { name: 'Add server' }).click();
    await expect(page.getByRole('dialog', { name: 'Add server' })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`add-server-${scheme}.png`) });
  });
}
