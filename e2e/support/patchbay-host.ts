import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { _electron, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import type { ServerEntry } from '../../src-shared/catalog';
import type { SessionSnapshot } from '../../src-shared/events';
import { FATAL_LINE_PREFIX } from '../../src-main/cli/fatal-errors';
import { electronBinary } from './browsers';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Which host a spec runs against. */
export type HostKind = 'web' | 'electron';

/**
 * The app under test, hosted either by web mode (Node + Chromium) or by Electron, with the same handle: the page,
 * the proxy it talks to (to check sessions), and restart/close.
 */
export class PatchbayHost {
  page!: Page;
  proxyUrl = '';
  token = '';
  private webServer?: ChildProcess;
  private electronApp?: ElectronApplication;
  /** Web mode's stderr so far (also passed through to ours), to find a fatal error in it. */
  private webStderr = '';

  private constructor(
    readonly kind: HostKind,
    readonly dataDir: string,
    private readonly browser: Browser | undefined,
  ) {}

  /** Launches the app on a fresh data folder, optionally seeded with a catalog. */
  static async launch(kind: HostKind, dataDir: string, browser: Browser | undefined, catalog?: ServerEntry[]): Promise<PatchbayHost> {
    mkdirSync(dataDir, { recursive: true });
    if (catalog) writeFileSync(`${dataDir}/catalog.json`, `${JSON.stringify({ version: 1, servers: catalog }, null, 2)}\n`);
    const host = new PatchbayHost(kind, dataDir, browser);
    await host.start();
    return host;
  }

  /** Starts web mode and returns the URL it prints to open. */
  private async spawnWebServer(options: string[]): Promise<string> {
    const server = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/web.ts', ...options, '--data-dir', this.dataDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    this.webServer = server;
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.webStderr += chunk;
      process.stderr.write(chunk);
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('web mode did not start within 30 s')), 30_000);
      let output = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Open: (\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      server.once('exit', (code) => reject(new Error(`web mode exited with ${code} before it listened`)));
    });
    return url;
  }

  private async start(): Promise<void> {
    if (this.kind === 'web') {
      const url = await this.spawnWebServer(['--port', '0']);
      const parsed = new URL(url);
      this.proxyUrl = parsed.origin;
      this.token = new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '';
      const context = await this.browser!.newContext();
      this.page = await context.newPage();
      await this.page.goto(url);
      return;
    }
    const binary = electronBinary();
    if ('missing' in binary) throw new Error(binary.missing);
    this.electronApp = await _electron.launch({
      executablePath: binary.path,
      // The project folder, as `npm start` gives it: the app's package.json (name, main) comes with it.
      args: [ROOT],
      env: { ...process.env, PATCHBAY_USER_DATA: this.dataDir } as Record<string, string>,
    });
    this.page = await this.electronApp.firstWindow();
    // The preload answers with the result as data ({ ok, value }); the page's api unwraps it.
    const answer = await this.page.evaluate(() =>
      (window as unknown as { patchbay: { hello(input: { owner: string }): Promise<{ ok: boolean; value?: { proxyUrl: string; token: string } }> } }).patchbay.hello({
        owner: 'e2e-probe-owner',
      }),
    );
    if (!answer.ok || !answer.value) throw new Error(`the app refused hello: ${JSON.stringify(answer)}`);
    const info = answer.value;
    this.proxyUrl = info.proxyUrl;
    this.token = info.token;
  }

  /** The proxy's live sessions, as `GET /api/sessions` reports them. */
  async sessions(): Promise<SessionSnapshot[]> {
    const response = await fetch(`${this.proxyUrl}/api/sessions`, { headers: { Authorization: `Bearer ${this.token}` } });
    return ((await response.json()) as { sessions: SessionSnapshot[] }).sessions;
  }

  /** Closes the page (web) or the window (Electron, which quits the app) the way a user would. */
  async closeWindow(): Promise<void> {
    if (this.kind === 'web') {
      await this.page.close();
      return;
    }
    const app = this.electronApp!;
    const closed = new Promise<void>((resolve) => app.once('close', () => resolve()));
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().forEach((window) => window.close()));
    await closed;
  }

  /** Stops the app (as on quit), then starts it again on the same data folder. */
  async restart(): Promise<void> {
    await this.close();
    await this.start();
  }

  /**
   * Web mode only: stops Patchbay's process and starts it again on the same port, token and data folder, the page
   * left open (as when the process behind a tab restarts): the page's link drops and comes back.
   */
  async restartServerUnderPage(): Promise<void> {
    if (this.kind !== 'web') throw new Error('only web mode runs Patchbay in a process of its own');
    await this.stopWebServer(false);
    await this.spawnWebServer(['--port', new URL(this.proxyUrl).port, `--token=${this.token}`]);
  }

  /** Stops web mode (SIGTERM, as on quit) and fails on an unclean end; `closePage` closes the page first. */
  private async stopWebServer(closePage: boolean): Promise<void> {
    if (!this.webServer) return;
    const server = this.webServer;
    this.webServer = undefined;
    const exitedEarly = server.exitCode !== null || server.signalCode !== null;
    if (closePage) await this.page?.context().close().catch(() => undefined);
    let forced = false;
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
      server.kill('SIGTERM');
      const force = setTimeout(() => {
        forced = true;
        if (server.pid) process.kill(-server.pid, 'SIGKILL');
      }, 15_000);
      await exited;
      clearTimeout(force);
    }
    const stderr = this.webStderr;
    this.webStderr = '';
    if (stderr.includes(FATAL_LINE_PREFIX)) throw new Error(`web mode died of an error nobody handled:\n${stderr}`);
    if (exitedEarly) throw new Error(`web mode exited by itself (code ${server.exitCode}, signal ${server.signalCode})`);
    if (forced) throw new Error('web mode did not stop within 15 s of SIGTERM and was killed');
    if (server.exitCode !== 0) throw new Error(`web mode exited with code ${server.exitCode} (signal ${server.signalCode}) after SIGTERM`);
  }

  /**
   * Stops the app: every session closed and every child ended before it exits. Fails (throws, which fails the
   * test) when web mode died of an error nobody handled, exited before it was told to, or did not stop cleanly.
   */
  async close(): Promise<void> {
    await this.stopWebServer(true);
    if (this.electronApp) {
      const app = this.electronApp;
      this.electronApp = undefined;
      await app.close().catch(() => undefined);
    }
  }
}
