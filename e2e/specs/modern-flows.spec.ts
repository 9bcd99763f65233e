import type { Locator, Page } from '@playwright/test';
import type { PatchbayHost } from '../support/patchbay-host';
import { modernStdioFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { expectStatus, openInspector as inspectorOf, selectTool, showTab } from '../support/ui';

// The modern era's (MCP 2026-07-28) flows in the inspector, through the proxy's modern route, against the dual-era
// fixture (src-main/test/fixtures/modern-fixture-server.mjs) in Auto: Multi Round-Trip Requests answered in the
// Requests tab, a task followed to its end, a subscriptions/listen stream, per-request log level, cache hints, and
// the timeline's grouping of rounds and task polls.

const modernFixture = (name: string) => modernStdioFixture(name);

/** Connects a server and returns its inspector. */
async function openInspector(app: PatchbayHost, name: string): Promise<Locator> {
  await app.page.getByRole('button', { name: `Connect ${name}`, exact: true }).click();
  await expectStatus(app.page, name, 'ready');
  return inspectorOf(app.page, name);
}

/** Answers the one elicitation card waiting in the Requests tab with `value` in the field labelled `label`. */
async function answerElicitation(inspector: Locator, message: string, label: string, value: string): Promise<void> {
  const requests = await showTab(inspector, 'Requests');
  const card = requests.getByRole('article', { name: /^Elicitation request/ }).filter({ hasText: message });
  await expect(card).toBeVisible();
  await card.getByLabel(label, { exact: true }).fill(value);
  await card.getByRole('button', { name: 'Accept', exact: true }).click();
  await expect(card).toHaveCount(0);
}

async function openTimeline(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Timeline', exact: true }).click();
  const view = page.getByRole('tabpanel', { name: 'Timeline' });
  await expect(view).toBeVisible();
  return view;
}

test('an input_required elicitation is answered in the Requests tab and the tool returns its result; several rounds work and the timeline groups them', async ({ launch }) => {
  const app = await launch([modernFixture('modern')]);
  const inspector = await openInspector(app, 'modern');

  // One round: the card says which call asks, the retry carries the answer, the tool's result comes.
  let tool = await selectTool(inspector, 'ask-name');
  await tool.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(inspector.getByRole('tab', { name: /Requests/ })).toContainText('1');
  const requests = await showTab(inspector, 'Requests');
  await expect(requests.getByRole('article', { name: /^Elicitation request/ })).toContainText('asked by tools/call ask-name, round 1');
  await answerElicitation(inspector, 'What is your name?', 'name', 'Ada');
  tool = await selectTool(inspector, 'ask-name');
  await expect(tool.getByTestId('tool-result')).toContainText('Hello, Ada!');

  // Three questions, one round each, the answers so far carried in the sealed requestState.
  tool = await selectTool(inspector, 'multi-round');
  await tool.getByRole('button', { name: 'Call', exact: true }).click();
  await answerElicitation(inspector, 'Round 1 of 3: Favourite colour?', 'answer', 'teal');
  await answerElicitation(inspector, 'Round 2 of 3: Favourite animal?', 'answer', 'otter');
  await answerElicitation(inspector, 'Round 3 of 3: Favourite food?', 'answer', 'soup');
  tool = await selectTool(inspector, 'multi-round');
  await expect(tool.getByTestId('tool-result')).toContainText('answers: color=teal, animal=otter, food=soup');

  // The timeline folds the retries under the first call: four requests, one row until expanded.
  const view = await openTimeline(app.page);
  await view.getByRole('searchbox', { name: 'Search', exact: true }).fill('');
  const first = view.getByTestId('timeline-row').filter({ hasText: 'tools/call' }).filter({ has: app.page.getByTestId('timeline-group').filter({ hasText: '4 rounds' }) });
  await expect(first).toHaveCount(1);
  await expect(first).toHaveAttribute('aria-expanded', 'false');
  await expect(view.getByTestId('timeline-row').filter({ hasText: 'round 4' })).toHaveCount(0);
  await first.getByRole('button', { name: 'Expand rounds' }).click();
  await expect(first).toHaveAttribute('aria-expanded', 'true');
  await expect(view.getByTestId('timeline-row').filter({ hasText: 'round 4' })).toHaveCount(2);
  await first.click();
  const detail = view.getByTestId('timeline-group-detail');
  await expect(detail).toContainText('Multi round-trip request: 4 rounds');
  await expect(detail.getByRole('listitem')).toHaveCount(4);
});

test('URL elicitation, sampling and roots asked for by input_required rounds: each shown, answered, and the tool result comes', async ({ launch }) => {
  const app = await launch([modernFixture('modern')]);
  const inspector = await openInspector(app, 'modern');

  // URL mode: the page's host is named before anything is opened; Accept is the user's consent.
  let tool = await selectTool(inspector, 'open-consent');
  await tool.getByRole('button', { name: 'Call', exact: true }).click();
  let requests = await showTab(inspector, 'Requests');
  const consent = requests.getByRole('article', { name: /^Elicitation request/ });
  await expect(consent).toContainText('The server asks the user to open a page');
  await expect(consent.getByTestId('elicitation-url')).toContainText('Page on example.com');
  await expect(consent.getByRole('link', { name: 'Open page' })).toHaveAttribute('href', /^https:\/\/example\.com\/consent\?request=/);
  await consent.getByRole('button', { name: 'Accept', exact: true }).click();
  tool = await selectTool(inspector, 'open-consent');
  await expect(tool.getByTestId('tool-result')).toContainText(/consent [0-9a-f-]{36}: accept/);

  // Sampling: approved with a reply typed in the card.
  tool = await selectTool(inspector, 'summarize-with-llm');
  await tool.getByLabel('text', { exact: true }).fill('A long text about otters.');
  await tool.getByRole('button', { name: 'Call', exact: true }).click();
  requests = await showTab(inspector, 'Requests');
  const sampling = requests.getByRole('article', { name: /^Sampling request/ });
  await expect(sampling).toContainText('Summarize in one sentence: A long text about otters.');
  await expect(sampling).toContainText('asked by tools/call summarize-with-llm, round 1 · input summary');
  await sampling.getByLabel('Text').fill('Otters, at length.');
  await sampling.getByRole('button', { name: 'Approve' }).click();
  tool = await selectTool(inspector, 'summarize-with-llm');
  await expect(tool.getByTestId('tool-result')).toContainText('summary: Otters, at length.');

  // Roots: answered from the Roots tab, and listed with the answered requests.
  const roots = await showTab(inspector, 'Roots');
  await roots.getByLabel('URI of root 1').fill('file:///tmp/project');
  await roots.getByRole('button', { name: 'Save roots' }).click();
  await expect(roots.getByRole('status')).toContainText('Saved 1 root');
  tool = await selectTool(inspector, 'list-client-roots');
  await tool.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(tool.getByTestId('tool-result')).toContainText('roots: file:///tmp/project');
  requests = await showTab(inspector, 'Requests');
  await expect(requests.getByRole('region', { name: 'Answered requests' })).toContainText('Roots');
  await expect(requests.getByRole('region', { name: 'Answered requests' })).toContainText('Answered from the Roots tab · asked by tools/call list-client-roots, round 1 · input roots · file:///tmp/project');
});

test('a task is followed to its end: its status as polled, its approval answered in the Requests tab, its result', async ({ launch }) => {
  const app = await launch([modernFixture('modern')]);
  const inspector = await openInspector(app, 'modern');
  let tool = await selectTool(inspector, 'background-job');
  await tool.getByLabel('label', { exact: true }).fill('nightly');
  await tool.getByLabel('needsApproval', { exact: true }).check();
  await tool.getByRole('button', { name: 'Call', exact: true }).click();
  const task = tool.getByTestId('task-panel');
  await expect(task).toBeVisible();
  await expect(task.getByRole('status', { name: /Task status/ })).toHaveText(/input required/, { timeout: 30_000 });
  await answerElicitation(inspector, 'Approve job nightly?', 'approver', 'Ada');
  tool = await selectTool(inspector, 'background-job');
  await expect(tool.getByTestId('task-panel').getByRole('status', { name: /Task status/ })).toHaveText('completed', { timeout: 30_000 });
  await expect(tool.getByTestId('task-panel').getByTestId('tool-result')).toContainText('job nightly done after 4 steps, approved by Ada');

  // Its polls sit under the call in the timeline.
  const view = await openTimeline(app.page);
  const first = view.getByTestId('timeline-row').filter({ has: app.page.getByTestId('timeline-group').filter({ hasText: 'task completed' }) });
  await expect(first).toHaveCount(1);
  await expect(view.getByTestId('timeline-row').filter({ hasText: 'tasks/get' })).toHaveCount(0);
  await first.getByRole('button', { name: 'Expand rounds' }).click();
  await expect(view.getByTestId('timeline-row').filter({ hasText: 'tasks/update' }).first()).toBeVisible();
});

test('a subscriptions/listen stream shows the notifications that arrive on it, and stops', async ({ launch }) => {
  const app = await launch([modernFixture('modern')]);
  const inspector = await openInspector(app, 'modern');
  const panel = await showTab(inspector, 'Subscriptions');
  await panel.getByLabel('Updates of these resources (one URI per line)').fill('fixture://counter');
  await panel.getByRole('button', { name: 'Listen', exact: true }).click();
  const subscription = panel.getByTestId('subscription').first();
  await expect(subscription.getByRole('status')).toHaveText('Listening');
  await expect(subscription).toContainText('updates of fixture://counter');

  const tool = await selectTool(inspector, 'bump-counter');
  await tool.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(tool.getByTestId('tool-result')).toContainText('counter is 1');

  await showTab(inspector, 'Subscriptions');
  await expect(subscription.getByRole('log')).toContainText('notifications/resources/updated fixture://counter');
  await subscription.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(subscription.getByRole('status')).toHaveText('Stopped');
});

test('request options send a log level with a tool call, and lists and reads show their cache hints', async ({ launch }) => {
  const app = await launch([modernFixture('modern')]);
  const inspector = await openInspector(app, 'modern');
  const tool = await selectTool(inspector, 'slow-count');
  await expect(inspector.getByRole('tabpanel', { name: 'Tools' }).getByTestId('cache-hint')).toContainText('public');
  const options = tool.getByTestId('request-options');
  await options.locator('summary').click();
  await options.getByLabel('Log level').selectOption('debug');
  await expect(options.locator('summary')).toContainText('log level debug');
  await tool.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(tool.getByTestId('tool-result')).toContainText('counted to 5');
  await expect(inspector.getByRole('log', { name: 'Log messages of modern' })).toContainText('counted 1 of 5');

  const resources = await showTab(inspector, 'Resources');
  await resources.getByRole('button', { name: /^hello/ }).click();
  await resources.getByRole('button', { name: 'Read', exact: true }).click();
  await expect(resources.getByTestId('cache-hint').last()).toContainText('ttl 60 min 00 s');
});
