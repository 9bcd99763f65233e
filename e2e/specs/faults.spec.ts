import { expect, test } from '../support/test';
import { stdioFixture } from '../support/processes';
import { expectStatus, openInspector, runTool, selectTool, serverRow, showTab } from '../support/ui';

test('a fault turned on in the Faults tab is flagged on the row and the inspector, and shows in the timeline marked injected', async ({ launch }, testInfo) => {
  const app = await launch([stdioFixture('weather')]);
  const { page } = app;
  await page.getByRole('button', { name: 'Connect weather', exact: true }).click();
  await expectStatus(page, 'weather', 'ready');
  const inspector = await openInspector(page, 'weather');
  await expect(serverRow(page, 'weather').getByTestId('faults-on-badge')).toHaveCount(0);

  // Answer tools/call with an error of our choosing, without the server seeing it.
  const faults = await showTab(inspector, 'Faults');
  await expect(faults.getByTestId('faults-state')).toHaveText('No faults are set.');
  await faults.getByLabel('Add', { exact: true }).selectOption('error');
  await faults.getByRole('button', { name: '+ Add fault' }).click();
  await faults.getByLabel('Message of fault 1', { exact: true }).fill('refused on purpose');
  await faults.getByLabel('Error code of fault 1', { exact: true }).fill('-32050');
  await faults.getByLabel('Seed', { exact: true }).fill('4242');
  await faults.getByRole('button', { name: 'Apply faults' }).click();
  await expect(faults.getByTestId('faults-state')).toHaveText('Faults on (seed 4242): answer tools/call with error -32050');
  await expect(serverRow(page, 'weather').getByTestId('faults-on-badge')).toHaveText(/faults on/);
  await expect(inspector.getByTestId('faults-banner')).toContainText('Faults are on');
  await faults.screenshot({ path: testInfo.outputPath('faults-panel.png') });

  // A bad setting is refused with a sentence naming it; the plan in force stays.
  await faults.getByLabel('Share (%) of fault 1', { exact: true }).fill('150');
  await faults.getByRole('button', { name: 'Apply faults' }).click();
  await expect(faults.getByRole('alert')).toContainText('Fault 1 (error): Share (%): must be a share from 0 to 1');
  await faults.getByLabel('Share (%) of fault 1', { exact: true }).fill('');

  const tool = await selectTool(inspector, 'echo');
  await tool.getByLabel('text', { exact: true }).fill('hello');
  await tool.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(tool.getByText('Error -32050: refused on purpose')).toBeVisible();

  await page.getByRole('tab', { name: 'Timeline', exact: true }).click();
  const timeline = page.getByRole('tabpanel', { name: 'Timeline' });
  const injected = timeline.getByTestId('timeline-row').filter({ has: page.getByTestId('timeline-injected') });
  await expect(injected).toHaveCount(2);
  await expect(injected.first()).toContainText('tools/call');
  await expect(injected.first()).toContainText('injected: error');
  await expect(injected.nth(1)).toContainText('←');
  await timeline.getByLabel('Injected faults only').check();
  await expect(timeline.getByTestId('timeline-row')).toHaveCount(2);
  await timeline.screenshot({ path: testInfo.outputPath('faults-timeline.png') });
  await timeline.getByLabel('Injected faults only').uncheck();

  // Off again: the badge and banner go, and the call reaches the server.
  await page.getByRole('tab', { name: 'Servers', exact: true }).click().catch(() => undefined);
  const again = await openInspector(page, 'weather');
  const panel = await showTab(again, 'Faults');
  await panel.getByRole('button', { name: 'Turn faults off' }).click();
  await expect(panel.getByTestId('faults-state')).toHaveText('No faults are set.');
  await expect(serverRow(page, 'weather').getByTestId('faults-on-badge')).toHaveCount(0);
  await expect(again.getByTestId('faults-banner')).toHaveCount(0);
  const echo = await selectTool(again, 'echo');
  await echo.getByLabel('text', { exact: true }).fill('through');
  await expect(await runTool(echo)).toContainText('echo: through');
});
