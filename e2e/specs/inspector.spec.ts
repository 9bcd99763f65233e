import type { Locator, Page } from '@playwright/test';
import type { PatchbayHost } from '../support/patchbay-host';
import { stdioFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { callTool, expectStatus, openInspector, runTool, selectTool, showTab } from '../support/ui';

// The per-server inspector against the SDK fixture server (src-main/test/fixtures/fixture-server.mjs): generated
// tool forms and results, resources and templates, prompts, progress and cancel, sampling and elicitation answered
// in the UI, roots, logging, list changes, pagination, and screenshots of each view in light and dark.

/** Connects a server, selects it, and returns its inspector. */
async function connectInspector(app: PatchbayHost, name: string): Promise<Locator> {
  const { page } = app;
  await page.getByRole('button', { name: `Connect ${name}`, exact: true }).click();
  await expectStatus(page, name, 'ready');
  return openInspector(page, name);
}

/** Fills one property of a form. */
async function fill(scope: Locator, label: string, value: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).fill(value);
}

test('a generated form with nested objects, arrays, an enum and a union calls a tool; its structured result is checked', async ({ launch }) => {
  const app = await launch([stdioFixture('fixture')]);
  const inspector = await connectInspector(app, 'fixture');
  const tool = await selectTool(inspector, 'order');
  await expect(tool).toContainText('Place an order');
  await expect(tool).toContainText('read-only');
  await expect(tool).toContainText('idempotent');

  // Required fields are validated before the call.
  await tool.getByRole('button', { name: 'Call', exact: true }).click();
  const summary = tool.getByRole('alert').filter({ hasText: 'do not fit the input schema' });
  await expect(summary).toContainText('customer › name: Required');
  await expect(summary).toContainText('items › #1 › sku: Required');
  await expect(summary).toContainText('delivery › store: Required');

  const customer = tool.getByRole('group', { name: 'customer', exact: true });
  await fill(customer, 'name', 'Ada Lovelace');
  const home = customer.getByRole('group', { name: 'address', exact: true });
  await fill(home, 'street', '12 St James Square');
  await fill(home, 'city', 'London');

  const items = tool.getByRole('group', { name: /^items/ });
  await fill(items.getByRole('group', { name: '#1', exact: true }), 'sku', 'ENGINE-1');
  await fill(items.getByRole('group', { name: '#1', exact: true }), 'quantity', '2');
  await items.getByRole('button', { name: '+ Add item' }).click();
  await items.getByRole('button', { name: '+ Add item' }).click();
  await fill(items.getByRole('group', { name: '#2', exact: true }), 'sku', 'CARD-7');
  await items.getByRole('button', { name: 'Remove items #3' }).click();
  await expect(items.getByRole('group', { name: '#3', exact: true })).toHaveCount(0);

  await tool.getByLabel('priority', { exact: true }).selectOption('high');
  const delivery = tool.getByRole('group', { name: 'delivery', exact: true });
  await delivery.getByLabel('Variant').selectOption('ship');
  const to = delivery.getByRole('group', { name: 'to', exact: true });
  await fill(to, 'street', '1 Analytical Row');
  await fill(to, 'city', 'Paris');
  await tool.getByLabel('gift', { exact: true }).selectOption('true');
  await expect(summary).toHaveCount(0);

  // JSON mode shows what the form builds.
  await tool.getByRole('button', { name: 'JSON', exact: true }).click();
  const raw = tool.getByLabel('Arguments (JSON)');
  const expected = {
    customer: { name: 'Ada Lovelace', address: { street: '12 St James Square', city: 'London' } },
    items: [
      { sku: 'ENGINE-1', quantity: 2 },
      { quantity: 1, sku: 'CARD-7' },
    ],
    priority: 'high',
    delivery: { kind: 'ship', to: { street: '1 Analytical Row', city: 'Paris' } },
    gift: true,
  };
  expect(JSON.parse(await raw.inputValue())).toEqual(expected);
  await tool.getByRole('button', { name: 'Form', exact: true }).click();
  await expect(customer.getByLabel('name', { exact: true })).toHaveValue('Ada Lovelace');

  const result = await runTool(tool);
  await expect(tool.getByRole('status').filter({ hasText: 'Done in' })).toBeVisible();
  const structured = result.getByRole('region', { name: 'Structured content' });
  await expect(structured).toContainText('valid against the output schema');
  await expect(structured).toContainText('"city": "Paris"');
  await expect(result).toContainText('"sku": "CARD-7"');
});

test('tool results: text, image, audio, resource link, embedded resources, isError; list changes refresh the list', async ({ launch }) => {
  const app = await launch([stdioFixture('fixture')]);
  const inspector = await connectInspector(app, 'fixture');
  const media = await selectTool(inspector, 'media');
  const result = await runTool(media);
  await expect(result).toContainText('Here is some media');
  // The 16×16 PNG is shown: by the <img> where the CSP allows data: images, else drawn on a canvas.
  const image = result.locator('[data-kind="image"]').locator('img, canvas');
  await expect
    .poll(() => image.evaluate((element) => (element instanceof HTMLImageElement ? element.naturalWidth : (element as HTMLCanvasElement).width)))
    .toBe(16);
  await expect(result.locator('[data-kind="image"]')).toContainText('image/png · 94 B');
  const audio = result.locator('[data-kind="audio"]');
  await expect(audio).toContainText('audio/wav · 2 KB');
  await expect(audio.locator('audio[src^="data:audio/wav;base64,"], button')).toBeVisible();
  await expect(result.locator('[data-kind="resource-link"]')).toContainText('fixture://hello');
  await expect(result.locator('[data-kind="resource-text"]')).toContainText('Embedded text');
  const blob = result.locator('[data-kind="resource-blob"]');
  await expect(blob).toContainText('94 B');
  const download = app.page.waitForEvent('download');
  await blob.getByRole('link', { name: 'Download' }).click();
  expect((await download).suggestedFilename()).toBe('logo.png');

  const fail = await selectTool(inspector, 'fail');
  const failed = await runTool(fail);
  await expect(failed.getByRole('alert')).toContainText('The tool reported an error');
  await expect(failed).toContainText('something went wrong');

  // A tool registered at run time appears by itself (notifications/tools/list_changed).
  await callTool(inspector, 'add-tool', { name: 'late-tool' }, 'added late-tool');
  await callTool(inspector, 'late-tool', {}, 'late-tool called');
});

test('tabs work from the keyboard; Info shows the server, its instructions and capabilities; ping and logging', async ({ launch }) => {
  const app = await launch([stdioFixture('fixture')]);
  const { page } = app;
  const inspector = await connectInspector(app, 'fixture');
  await inspector.getByRole('tab', { name: 'Tools' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(inspector.getByRole('tab', { name: 'Info' })).toBeFocused();
  await expect(inspector.getByRole('tab', { name: 'Info' })).toHaveAttribute('aria-selected', 'true');
  const info = inspector.getByRole('tabpanel', { name: 'Info' });
  await expect(info).toContainText('patchbay-fixture');
  await expect(info).toContainText('1.2.3');
  await expect(info).toContainText('2025-11-25');
  await expect(info).toContainText('Fixture server for MCP Patchbay tests.');
  await expect(info.getByTestId('server-capabilities')).toContainText('"subscribe": true');
  await page.keyboard.press('End');
  // The last tab is Stress (after Faults and a stdio server's Processes).
  await expect(inspector.getByRole('tab', { name: 'Stress' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(inspector.getByRole('tab', { name: 'Info' })).toHaveAttribute('aria-selected', 'true');

  await inspector.getByRole('button', { name: 'Ping', exact: true }).click();
  await expect(inspector.getByTestId('ping-result')).toHaveText(/^\d+ ms$/);

  await inspector.getByLabel('Log level').selectOption('debug');
  await callTool(inspector, 'log', { count: '3' }, 'logged 3');
  const messages = inspector.getByRole('log', { name: 'Log messages of fixture' });
  await expect(messages).toContainText('log 1');
  await expect(messages).toContainText('log 3');
  await expect(messages).toContainText('[fixture]');
});

test('a call that reports progress shows it, and Cancel ends it as cancelled; the server stays usable', async ({ launch }) => {
  const app = await launch([stdioFixture('fixture')]);
  const inspector = await connectInspector(app, 'fixture');
  const slow = await selectTool(inspector, 'slow');
  await fill(slow, 'steps', '50');
  await fill(slow, 'stepMs', '200');
  await slow.getByRole('button', { name: 'Call', exact: true }).click();
  const progress = slow.getByTestId('tool-progress');
  await expect(progress).toContainText(/[2-9] \/ 50/);
  await expect(slow.getByRole('status').filter({ hasText: 'Running' })).toBeVisible();
  await slow.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(slow.getByRole('status').filter({ hasText: 'Cancelled after' })).toBeVisible();
  await expect(progress).toHaveCount(0);
  await expect(slow.getByTestId('tool-result')).toHaveCount(0);

  // The server got notifications/cancelled and still answers.
  await callTool(inspector, 'echo', { text: 'still here' }, 'echo: still here');
  await expect.poll(async () => (await app.sessions()).map((session) => session.state)).toEqual(['ready']);
});

test('resources: read, templates with completions, binary contents, subscriptions; prompts with arguments', async ({ launch }) => {
  const app = await launch([stdioFixture('fixture')]);
  const inspector = await connectInspector(app, 'fixture');
  const panel = await showTab(inspector, 'Resources');
  const resources = panel.getByRole('region', { name: 'Resources', exact: true });
  await resources.getByRole('button', { name: /^hello/ }).click();
  const hello = panel.getByRole('article', { name: 'Resource hello' });
  await hello.getByRole('button', { name: 'Read', exact: true }).click();
  await expect(hello.getByTestId('resource-contents')).toContainText('hello from the fixture');

  // Subscribe, have the server touch it, see the update arrive.
  await hello.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await expect(hello.getByRole('button', { name: 'Unsubscribe', exact: true })).toBeVisible();
  await callTool(inspector, 'touch', { uri: 'fixture://hello' }, 'updated fixture://hello');
  await showTab(inspector, 'Resources');
  await expect(panel.getByRole('log', { name: 'Resource updates of fixture' })).toContainText('fixture://hello updated');

  await resources.getByRole('button', { name: /^logo/ }).click();
  const logo = panel.getByRole('article', { name: 'Resource logo' });
  await logo.getByRole('button', { name: 'Read', exact: true }).click();
  const blob = logo.locator('[data-kind="resource-blob"]');
  await expect(blob).toContainText('image/png · 94 B');
  await expect(blob.getByRole('link', { name: 'Download' })).toBeVisible();
  await expect(blob.getByRole('button', { name: 'Copy base64' })).toBeVisible();

  const templates = panel.getByRole('region', { name: 'Templates', exact: true });
  await templates.getByRole('button', { name: /^item/ }).click();
  const item = panel.getByRole('article', { name: 'Template item' });
  await fill(item, 'id', '42');
  await expect(item).toContainText('URI: fixture://items/42');
  await item.getByRole('button', { name: 'Read', exact: true }).click();
  await expect(item.getByTestId('resource-contents')).toContainText('"id": "42"');

  // Completions: the server suggests colours starting with what was typed.
  await templates.getByRole('button', { name: /^color/ }).click();
  const color = panel.getByRole('article', { name: 'Template color' });
  await fill(color, 'color', 'b');
  const suggestions = color.getByRole('group', { name: 'Suggestions for color' });
  await expect(suggestions.getByRole('button')).toHaveText(['blue', 'black']);
  await suggestions.getByRole('button', { name: 'black' }).click();
  await color.getByRole('button', { name: 'Read', exact: true }).click();
  await expect(color.getByTestId('resource-contents')).toContainText('colour black');

  const prompts = await showTab(inspector, 'Prompts');
  await prompts.getByRole('region', { name: 'Prompts', exact: true }).getByRole('button', { name: /^greet/ }).click();
  const greet = prompts.getByRole('article', { name: 'Prompt greet' });
  await greet.getByRole('button', { name: 'Get prompt' }).click();
  await expect(greet.getByText('Required')).toBeVisible();
  await fill(greet, 'name', 'Grace');
  await greet.getByRole('button', { name: 'Get prompt' }).click();
  const messages = greet.getByTestId('prompt-messages');
  await expect(messages).toContainText('user');
  await expect(messages).toContainText('Please greet Grace.');

  await prompts.getByRole('region', { name: 'Prompts', exact: true }).getByRole('button', { name: /^paint/ }).click();
  const paint = prompts.getByRole('article', { name: 'Prompt paint' });
  await fill(paint, 'subject', 'a bridge');
  await fill(paint, 'color', 'gr');
  await paint.getByRole('group', { name: 'Suggestions for color' }).getByRole('button', { name: 'green' }).click();
  await paint.getByRole('button', { name: 'Get prompt' }).click();
  await expect(paint.getByTestId('prompt-messages')).toContainText('Paint a bridge in green.');
  await expect(paint.getByTestId('prompt-messages').locator('[data-kind="image"]').locator('img, canvas')).toHaveCount(1);
});

test('sampling and elicitation requests are answered in the UI and the server sees the answers; roots are served', async ({ launch }) => {
  const app = await launch([stdioFixture('fixture')]);
  const inspector = await connectInspector(app, 'fixture');

  // Sampling, approved with an edited reply.
  const sample = await selectTool(inspector, 'sample');
  await fill(sample, 'prompt', 'What is 6 × 7?');
  await sample.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(inspector.getByRole('tab', { name: 'Requests' })).toContainText('1');
  await inspector.getByRole('button', { name: 'Show requests' }).click();
  const requests = inspector.getByRole('tabpanel', { name: 'Requests' });
  const card = requests.getByRole('article', { name: /^Sampling request/ });
  await expect(card).toContainText('What is 6 × 7?');
  await expect(card).toContainText('Max tokens');
  await expect(card).toContainText(/waiting \d+ s/);
  await card.getByLabel('Model').fill('human-in-the-loop');
  await card.getByLabel('Text').fill('42');
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(card).toHaveCount(0);
  await expect(requests.getByRole('region', { name: 'Answered requests' })).toContainText('Approved');
  await showTab(inspector, 'Tools');
  await expect(sample.getByTestId('tool-result')).toContainText('sampled: 42');

  // Sampling, declined: the server gets JSON-RPC error -1.
  await sample.getByRole('button', { name: 'Call', exact: true }).click();
  await showTab(inspector, 'Requests');
  await requests.getByRole('article', { name: /^Sampling request/ }).getByRole('button', { name: 'Decline' }).click();
  await showTab(inspector, 'Tools');
  await expect(sample.getByTestId('tool-result')).toContainText('User rejected sampling request');

  // Elicitation: the form comes from requestedSchema; required is checked before accepting.
  const elicit = await selectTool(inspector, 'elicit');
  await elicit.getByRole('button', { name: 'Call', exact: true }).click();
  await showTab(inspector, 'Requests');
  const form = requests.getByRole('article', { name: /^Elicitation request/ });
  await expect(form).toContainText('What is your name?');
  await form.getByRole('button', { name: 'Accept' }).click();
  await expect(form.getByRole('alert')).toContainText('name: Required');
  await fill(form, 'name', 'Ada');
  await form.getByRole('button', { name: 'Accept' }).click();
  await expect(form).toHaveCount(0);
  await showTab(inspector, 'Tools');
  await expect(elicit.getByTestId('tool-result')).toContainText('elicited: accept {"name":"Ada"}');

  await elicit.getByRole('button', { name: 'Call', exact: true }).click();
  await showTab(inspector, 'Requests');
  await requests.getByRole('article', { name: /^Elicitation request/ }).getByRole('button', { name: 'Decline' }).click();
  await showTab(inspector, 'Tools');
  await expect(elicit.getByTestId('tool-result')).toContainText('elicited: decline {}');

  // Roots: edited in the UI, served on roots/list.
  const roots = await showTab(inspector, 'Roots');
  await roots.getByLabel('URI of root 1').fill('/not/a/uri');
  await roots.getByRole('button', { name: 'Save roots' }).click();
  await expect(roots).toContainText('Root URIs must start with file://');
  await roots.getByLabel('URI of root 1').fill('file:///tmp/project');
  await roots.getByLabel('Name of root 1').fill('project');
  await roots.getByRole('button', { name: '+ Add root' }).click();
  await roots.getByLabel('URI of root 2').fill('file:///tmp/other');
  await roots.getByRole('button', { name: 'Save roots' }).click();
  await expect(roots.getByRole('status')).toContainText('Saved 2 roots');
  await callTool(inspector, 'roots', {}, 'roots: file:///tmp/project,file:///tmp/other');
});

test('a paginated resource list loads more pages on demand', async ({ launch }) => {
  const app = await launch([stdioFixture('paged', { FIXTURE_PAGE_SIZE: '10' })]);
  const inspector = await connectInspector(app, 'paged');
  const panel = await showTab(inspector, 'Resources');
  const resources = panel.getByRole('region', { name: 'Resources', exact: true });
  const entries = resources.getByRole('listitem');
  await expect(entries).toHaveCount(10);
  await expect(resources.getByRole('heading')).toContainText('(10+)');
  await resources.getByRole('button', { name: 'Load more' }).click();
  await expect(entries).toHaveCount(20);
  await resources.getByRole('button', { name: 'Load more' }).click();
  await expect(entries).toHaveCount(27);
  await expect(resources.getByRole('button', { name: 'Load more' })).toHaveCount(0);
  await resources.getByRole('button', { name: /^number 25/ }).click();
  const number = panel.getByRole('article', { name: 'Resource number 25' });
  await number.getByRole('button', { name: 'Read', exact: true }).click();
  await expect(number.getByTestId('resource-contents')).toContainText('25');
});

/** Puts the inspector at the top of the detail pane, so a screenshot shows it. */
async function scrollToInspector(page: Page, inspector: Locator): Promise<void> {
  await inspector.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(50);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`inspector views in ${scheme}`, async ({ launch }, testInfo) => {
    const app = await launch([stdioFixture('fixture')]);
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.emulateMedia({ colorScheme: scheme });
    const inspector = await connectInspector(app, 'fixture');
    const shot = async (name: string) => {
      await scrollToInspector(page, inspector);
      await page.screenshot({ path: testInfo.outputPath(`inspector-${name}-${scheme}.png`) });
    };

    await showTab(inspector, 'Info');
    await shot('info');

    const order = await selectTool(inspector, 'order');
    const customer = order.getByRole('group', { name: 'customer', exact: true });
    await fill(customer, 'name', 'Ada Lovelace');
    await fill(customer.getByRole('group', { name: 'address', exact: true }), 'street', '12 St James Square');
    await fill(customer.getByRole('group', { name: 'address', exact: true }), 'city', 'London');
    await fill(order.getByRole('group', { name: '#1', exact: true }), 'sku', 'ENGINE-1');
    await fill(order.getByRole('group', { name: 'delivery', exact: true }), 'store', 'Marylebone');
    await order.getByRole('button', { name: 'Call', exact: true }).click();
    await expect(order.getByTestId('tool-result')).toBeVisible();
    await shot('tools-form');
    await order.getByTestId('tool-result').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: testInfo.outputPath(`inspector-tools-result-${scheme}.png`) });

    const media = await selectTool(inspector, 'media');
    await runTool(media);
    await shot('tools-media');

    const resources = await showTab(inspector, 'Resources');
    await resources.getByRole('region', { name: 'Templates', exact: true }).getByRole('button', { name: /^color/ }).click();
    await fill(resources.getByRole('article', { name: 'Template color' }), 'color', 'b');
    await expect(resources.getByRole('group', { name: 'Suggestions for color' })).toBeVisible();
    await resources.getByRole('region', { name: 'Resources', exact: true }).getByRole('button', { name: /^hello/ }).click();
    const hello = resources.getByRole('article', { name: 'Resource hello' });
    await hello.getByRole('button', { name: 'Read', exact: true }).click();
    await expect(hello.getByTestId('resource-contents')).toBeVisible();
    await shot('resources');

    const prompts = await showTab(inspector, 'Prompts');
    await prompts.getByRole('region', { name: 'Prompts', exact: true }).getByRole('button', { name: /^paint/ }).click();
    const paint = prompts.getByRole('article', { name: 'Prompt paint' });
    await fill(paint, 'subject', 'a bridge');
    await fill(paint, 'color', 'green');
    await paint.getByRole('button', { name: 'Get prompt' }).click();
    await expect(paint.getByTestId('prompt-messages')).toBeVisible();
    await shot('prompts');

    const sample = await selectTool(inspector, 'sample');
    await fill(sample, 'prompt', 'Summarise the fixture server in one sentence.');
    await sample.getByRole('button', { name: 'Call', exact: true }).click();
    await showTab(inspector, 'Requests');
    await expect(inspector.getByRole('article', { name: /^Sampling request/ })).toBeVisible();
    await shot('requests');
    await inspector.getByRole('article', { name: /^Sampling request/ }).getByRole('button', { name: 'Decline' }).click();

    const elicit = await selectTool(inspector, 'elicit');
    await elicit.getByRole('button', { name: 'Call', exact: true }).click();
    await showTab(inspector, 'Requests');
    await expect(inspector.getByRole('article', { name: /^Elicitation request/ })).toBeVisible();
    await shot('requests-elicitation');
    await inspector.getByRole('article', { name: /^Elicitation request/ }).getByRole('button', { name: 'Cancel', exact: true }).click();

    const roots = await showTab(inspector, 'Roots');
    await roots.getByLabel('URI of root 1').fill('file:///home/ada/engine');
    await roots.getByLabel('Name of root 1').fill('engine');
    await roots.getByRole('button', { name: 'Save roots' }).click();
    await inspector.getByRole('button', { name: 'Ping', exact: true }).click();
    await inspector.getByLabel('Log level').selectOption('info');
    await shot('roots');
  });
}
