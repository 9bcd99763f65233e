import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import type { ServerEntry } from '../../src-shared/catalog';
import { electronBinary } from './browsers';
import { PatchbayHost, type HostKind } from './patchbay-host';
import { eventually, liveFixturePids } from './processes';

interface Fixtures {
  /** Launches the app for this test (web or Electron by project) on its own fresh data folder. */
  launch: (catalog?: ServerEntry[]) => Promise<PatchbayHost>;
}

/**
 * The specs' `test`: in the electron project every spec is skipped, with the reason, where there is no Electron
 * binary. Whatever the test launched is closed afterwards, and no fixture server may outlive it.
 */
export const test = base.extend<Fixtures>({
  launch: async ({ browser }, use, testInfo) => {
    const kind = testInfo.project.name as HostKind;
    if (kind === 'electron') {
      const binary = electronBinary();
      test.skip('missing' in binary, 'missing' in binary ? `Electron run skipped: ${binary.missing}` : '');
    }
    const hosts: PatchbayHost[] = [];
    await use(async (catalog) => {
      const dataDir = mkdtempSync(join(tmpdir(), `patchbay-e2e-${kind}-`));
      const host = await PatchbayHost.launch(kind, dataDir, kind === 'web' ? browser : undefined, catalog);
      hosts.push(host);
      return host;
    });
    // Every host is closed even when one fails (a crash found while closing fails the test after the cleanup).
    const closing = await Promise.allSettled(hosts.map((host) => host.close()));
    await eventually(() => liveFixturePids().length === 0, `every fixture server to end (left: ${liveFixturePids().join(', ')})`, 15_000);
    for (const result of closing) if (result.status === 'rejected') throw result.reason;
  },
  // Electron specs never need Chromium: launching it there would only cost time (and its own download is absent).
  browser: [
    async ({ playwright }, use, workerInfo) => {
      if (workerInfo.project.name === 'electron') {
        await use(undefined as never);
        return;
      }
      const browser = await playwright.chromium.launch(workerInfo.project.use.launchOptions);
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
});

export { expect };
