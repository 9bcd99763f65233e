import type { Locator, Page } from '@playwright/test';
import { stdioFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { callTool, expectStatus, openInspector, selectTool } from '../support/ui';

// What the timeline says about each request against the SDK fixture server: answered, a tool result with
// isError, cancelled (with the time of the cancel), failed because its session ended (with the reason), and
// nothing left pending once the session is gone.

async function openTimeline(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Timeline', exact: true }).click();
  const view = page.getByRole('tabpanel', { name: 'Timeline' });
  await expect(view).toBeVisible();
  return view;
}

const toolCalls = (view: Locator) => view.getByTestId('timeline-row').filter({ hasText: 'tools/call' }).filter({ hasText: 'req' });
const statusCell = (row: Locator) => row.getByRole('gridcell').last();

test('the timeline marks each request answered, tool error, cancelled with its time, or failed with its session’s end; none stays pending', async ({ launch }) => {
  const app = await launch([stdioFixture('fixture')]);
  const { page } = app;
  await page.getByRole('button', { name: 'Connect fixture', exact: true }).click();
  await expectStatus(page, 'fixture', 'ready');
  const inspector = await openInspector(page, 'fixture');

  // 1: answered. 2: a result with isError: true.
  await callTool(inspector, 'echo', { text: 'hi' }, 'echo: hi');
  await callTool(inspector, 'fail', {}, 'something went wrong');

  // 3: cancelled while running (the client sends notifications/cancelled).
  const slow = await selectTool(inspector, 'slow');
  await slow.getByLabel('steps', { exact: true }).fill('100');
  await slow.getByLabel('stepMs', { exact: true }).fill('200');
  await slow.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(slow.getByTestId('tool-progress')).toContainText(/[1-9] \/ 100/);
  await slow.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(slow.getByRole('status').filter({ hasText: 'Cancelled after' })).toBeVisible();

  // 4: running when the server process is killed.
  await slow.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(slow.getByTestId('tool-progress')).toContainText(/[1-9] \/ 100/);
  const [session] = await app.sessions();
  process.kill(session!.pid!, 'SIGKILL');
  await expectStatus(page, 'fixture', 'error');

  const view = await openTimeline(page);
  const calls = toolCalls(view);
  await expect(calls).toHaveCount(4);
  await expect(statusCell(calls.nth(0))).toHaveText(/^\d+(\.\d+)? (ms|s)$/);
  await expect(statusCell(calls.nth(1))).toHaveText(/^✕ \d+(\.\d+)? (ms|s)$/);
  await expect(statusCell(calls.nth(1))).toHaveAttribute('title', 'the tool reported an error (isError)');
  await expect(statusCell(calls.nth(2))).toHaveText(/^cancelled \d\d:\d\d:\d\d\.\d{3}$/);
  await expect(statusCell(calls.nth(3))).toHaveText('✕ failed');
  await expect(statusCell(calls.nth(3))).toHaveAttribute('title', /failed: the server process of "fixture" ended: killed by SIGKILL/);
  // Nothing stays pending once its session is gone: not the calls, not anything else.
  await expect(view.getByTestId('timeline-row').filter({ hasText: 'pending' })).toHaveCount(0);

  // The detail panel says the same in words.
  const detail = view.getByRole('region', { name: 'Message details' });
  await calls.nth(2).click();
  await expect(detail.getByTestId('timeline-status')).toHaveText(/^Cancelled at \d\d:\d\d:\d\d\.\d{3}/);
  await calls.nth(3).click();
  await expect(detail.getByTestId('timeline-status')).toHaveText(/^Failed at \d\d:\d\d:\d\d\.\d{3}: the server process of "fixture" ended: killed by SIGKILL/);
  await calls.nth(1).click();
  await expect(detail.getByTestId('timeline-status')).toHaveText(/^Tool error \(isError\) after/);
  await detail.getByRole('button', { name: 'Close message details' }).click();

  // Errors only: the isError call (request and result) and the failed call; not the answered or the cancelled one.
  await view.getByRole('checkbox', { name: 'Errors only' }).check();
  await expect(calls).toHaveCount(2);
  await expect(statusCell(calls.nth(0))).toHaveText(/^✕ /);
  await expect(statusCell(calls.nth(1))).toHaveText('✕ failed');
  await expect(view.getByTestId('timeline-row').filter({ hasText: 'tool error' })).toHaveCount(1);
});
