import AxeBuilder from '@axe-core/playwright';
import { request, type Locator, type Page } from '@playwright/test';
import type { PatchbayHost } from '../support/patchbay-host';
import { startOAuthFixture } from '../support/processes';
import { expect, test } from '../support/test';
import { expectStatus, serverRow, showTab } from '../support/ui';

// A remote server behind OAuth: the test authorization server (oidc-provider, its sign-in page one button) in front of
// the OAuth MCP fixture. Connect → needs sign-in; the Auth panel runs the flow one step at a time, the sign-in page is
// completed in its window; signed in, the claims shown, the server connects on its own and lists its tools; a
// reconnect needs no sign-in; Sign out, and the next connect needs sign-in again (signed in all at once this time).

const SERVER = 'secured';

/**
 * Completes the sign-in page. Web mode: in the window the page opened (`popup`). Electron: main opened the system
 * browser, which no test drives, so the spec opens the authorization URL itself with a request context (it keeps
 * cookies, as a browser does) and posts the page's one form.
 */
async function completeSignInPage(host: PatchbayHost, panel: Locator, popup: Promise<Page> | undefined): Promise<void> {
  if (popup) {
    const signInPage = await popup;
    await signInPage.getByRole('button', { name: 'Sign in and allow' }).click();
    await expect(signInPage.locator('body')).toContainText(/signed in/i, { timeout: 30_000 });
    await signInPage.close();
    return;
  }
  const url = await panel.getByRole('link', { name: 'Open the sign-in page' }).getAttribute('href');
  const browser = await request.newContext();
  try {
    const form = await browser.get(url!);
    const action = /action="([^"]+\/approve)"/.exec(await form.text())?.[1];
    expect(action, 'the sign-in page has its approve form').toBeTruthy();
    const done = await browser.post(new URL(action!, form.url()).href);
    expect(await done.text()).toMatch(/signed in/i);
  } finally {
    await browser.dispose();
  }
}

async function stepTo(panel: Locator, kind: string, state: 'done' | 'running' = 'done'): Promise<void> {
  await panel.getByRole('button', { name: /^Step/ }).click();
  await expect(panel.locator(`[data-testid="auth-step"][data-kind="${kind}"]`)).toHaveAttribute('data-state', state, { timeout: 30_000 });
}

async function audit(page: Page, what: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include('[data-testid="auth-panel"]').analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${what}: ${violation.id} (${violation.help}) at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

test('OAuth: needs sign-in, the flow step by step in the Auth panel, signed in with claims and tools, reconnect without signing in, sign out', async ({ launch }, testInfo) => {
  const oauth = await startOAuthFixture();
  try {
    const host = await launch([{ name: SERVER, transport: 'streamable-http', url: oauth.mcpUrl, headers: {} }]);
    const { page } = host;
    const web = host.kind === 'web';
    let popups = 0;
    page.on('popup', () => (popups += 1));

    await page.getByRole('button', { name: `Connect ${SERVER}`, exact: true }).click();
    await expectStatus(page, SERVER, 'error');
    await serverRow(page, SERVER).click();
    const detail = page.getByRole('region', { name: `Server ${SERVER}` });
    await expect(detail.getByRole('alert').first()).toContainText('needs sign-in');
    await expect(detail.getByRole('button', { name: 'Sign in', exact: true }).first()).toBeVisible();
    const panel = detail.getByTestId('auth-panel');
    await expect(panel.getByTestId('auth-status')).toHaveText('Needs sign-in');

    // One step at a time: each one done, with its exchanges.
    await stepTo(panel, 'protected-resource-metadata');
    await stepTo(panel, 'authorization-server-metadata');
    await stepTo(panel, 'client-registration');
    const discovery = panel.locator('[data-testid="auth-step"][data-kind="protected-resource-metadata"]');
    await discovery.getByRole('button', { name: /Protected resource metadata/ }).click();
    await expect(discovery.getByTestId('auth-exchange').first()).toContainText('/.well-known/oauth-protected-resource/mcp');
    await discovery.getByTestId('auth-exchange').first().getByRole('button').click();
    await expect(discovery.getByText(`"resource": "${oauth.mcpUrl}"`)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('oauth-steps-light.png'), fullPage: true });

    // The browser step: the sign-in page opens in a window of its own (web), the panel waits for it.
    const popup = web ? page.waitForEvent('popup') : undefined;
    await stepTo(panel, 'authorization', 'running');
    await expect(panel.getByTestId('auth-status')).toHaveText('Waiting for the browser');
    await expect(panel.getByRole('link', { name: 'Open the sign-in page' })).toBeVisible();
    await completeSignInPage(host, panel, popup);
    await expect(panel.locator('[data-testid="auth-step"][data-kind="authorization"]')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    await panel.getByRole('button', { name: 'Step: Token' }).click();

    // Signed in: the server connects on its own, and the inspector (in place of the detail's panel) opens on Auth.
    await expectStatus(page, SERVER, 'ready', 60_000);
    const inspector = page.getByRole('region', { name: `Inspector for ${SERVER}` });
    const auth = inspector.getByRole('tabpanel', { name: 'Auth' });
    for (const kind of ['protected-resource-metadata', 'authorization-server-metadata', 'client-registration', 'authorization', 'token']) {
      await expect(auth.locator(`[data-testid="auth-step"][data-kind="${kind}"]`)).toHaveAttribute('data-state', 'done');
    }
    await expect(auth.getByTestId('auth-status')).toHaveText('Signed in');
    await expect(auth.getByTestId('auth-facts')).toContainText('Signed in as');
    await expect(auth.getByTestId('auth-facts')).toContainText(oauth.issuer);
    await expect(auth.getByTestId('auth-facts')).toContainText('mcp:tools');
    await expect(auth.getByTestId('auth-facts')).toContainText(/Refresh token\s*yes/);
    const claims = auth.getByTestId('auth-claims');
    await expect(claims.getByRole('row', { name: /^aud/ })).toContainText(oauth.mcpUrl);
    await expect(claims.getByRole('row', { name: /^sub/ })).toContainText('ada');
    await expect(claims.getByRole('row', { name: /^exp/ })).toContainText(/\(in \d+ (min|h)/);
    await page.screenshot({ path: testInfo.outputPath('oauth-signed-in-light.png'), fullPage: true });
    const violations = await audit(page, 'light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: testInfo.outputPath('oauth-signed-in-dark.png'), fullPage: true });
    violations.push(...(await audit(page, 'dark')));
    await page.emulateMedia({ colorScheme: 'light' });
    expect(violations).toEqual([]);

    const tools = await showTab(inspector, 'Tools');
    for (const name of ['whoami', 'echo', 'admin-report']) {
      await expect(tools.getByRole('region', { name: 'Tools', exact: true }).getByRole('button', { name: new RegExp(`^${name}( |$)`) })).toBeVisible();
    }

    // Disconnect and connect again: the token is kept, no sign-in.
    const popupsBefore = popups;
    await detail.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expectStatus(page, SERVER, 'disconnected');
    await detail.getByRole('button', { name: 'Connect', exact: true }).click();
    await expectStatus(page, SERVER, 'ready', 60_000);
    expect(popups).toBe(popupsBefore);

    // Sign out: the next connect needs sign-in again.
    await showTab(inspector, 'Auth');
    await inspector.getByRole('tabpanel', { name: 'Auth' }).getByRole('button', { name: 'Sign out' }).click();
    await expect(inspector.getByRole('tabpanel', { name: 'Auth' }).getByTestId('auth-status')).toHaveText('Signed out');
    await detail.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expectStatus(page, SERVER, 'disconnected');
    await detail.getByRole('button', { name: 'Connect', exact: true }).click();
    await expectStatus(page, SERVER, 'error');
    await expect(detail.getByRole('alert').first()).toContainText('needs sign-in');

    // Sign in all at once from the detail this time: the page, then connected on its own.
    const popupAgain = web ? page.waitForEvent('popup') : undefined;
    await detail.getByRole('button', { name: 'Sign in', exact: true }).first().click();
    await expect(panel.getByTestId('auth-status')).toHaveText('Waiting for the browser', { timeout: 30_000 });
    await completeSignInPage(host, panel, popupAgain);
    await expectStatus(page, SERVER, 'ready', 60_000);
    await expect(inspector.getByRole('tabpanel', { name: 'Auth' }).getByTestId('auth-status')).toHaveText('Signed in');
  } finally {
    await oauth.stop();
  }
});

test('OAuth: a client registered beforehand is given in the Add server form, kept through Edit with its secret masked, and signs in', async ({ launch }, testInfo) => {
  const oauth = await startOAuthFixture();
  try {
    const host = await launch();
    const { page } = host;
    const name = 'preregistered';
    await page.getByRole('banner').getByRole('button', { name: 'Add server' }).click();
    const add = page.getByRole('dialog', { name: 'Add server' });
    await add.getByLabel('Name').fill(name);
    await add.getByLabel('Transport').selectOption('streamable-http');
    await add.getByLabel('URL').fill(oauth.mcpUrl);
    const group = add.getByRole('group', { name: 'OAuth sign-in (optional)' });
    await group.getByLabel('Client ID').fill('patchbay-preregistered');
    await group.getByLabel('Client secret').fill('preregistered-secret-for-tests');
    await group.getByLabel('Scopes').fill('mcp:tools');
    await page.screenshot({ path: testInfo.outputPath('oauth-form-light.png'), fullPage: true });
    await add.getByRole('button', { name: 'Save' }).click();
    await expect(add).toBeHidden();

    // Edit shows what was saved, the secret as the mask; saving it untouched keeps the stored secret.
    await serverRow(page, name).click();
    const detail = page.getByRole('region', { name: `Server ${name}` });
    await detail.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit server' });
    await expect(edit.getByLabel('Client ID')).toHaveValue('patchbay-preregistered');
    await expect(edit.getByLabel('Client secret')).toHaveValue('•••••• (secret, unchanged)');
    await expect(edit.getByLabel('Scopes')).toHaveValue('mcp:tools');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toBeHidden();

    // Sign in: the catalog's client is used (no registration at the server), and its secret opens the token endpoint.
    await page.getByRole('button', { name: `Connect ${name}`, exact: true }).click();
    await expectStatus(page, name, 'error');
    const panel = detail.getByTestId('auth-panel');
    const popup = host.kind === 'web' ? page.waitForEvent('popup') : undefined;
    await detail.getByRole('button', { name: 'Sign in', exact: true }).first().click();
    await expect(panel.getByTestId('auth-status')).toHaveText('Waiting for the browser', { timeout: 30_000 });
    await completeSignInPage(host, panel, popup);
    await expectStatus(page, name, 'ready', 60_000);
    const auth = page.getByRole('region', { name: `Inspector for ${name}` }).getByRole('tabpanel', { name: 'Auth' });
    await expect(auth.getByTestId('auth-status')).toHaveText('Signed in');
    await expect(auth.locator('[data-testid="auth-step"][data-kind="client-registration"]')).toContainText('Using the client id patchbay-preregistered given in the catalog');
  } finally {
    await oauth.stop();
  }
});
