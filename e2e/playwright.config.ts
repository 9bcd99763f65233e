import { defineConfig } from '@playwright/test';
import { chromiumExecutable } from './support/browsers';

// The same specs run in two projects: web mode in Chromium always, and the Electron app where a binary exists
// (each spec is skipped there with the reason otherwise). Concurrency specs spawn dozens of servers: one worker.
export default defineConfig({
  testDir: './specs',
  globalSetup: './global-setup.ts',
  outputDir: '../test-results/e2e',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: '../test-results/e2e-report' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 800 },
  },
  projects: [
    {
      name: 'web',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromiumExecutable(),
          // As root Chromium needs --no-sandbox; the rest keeps it off the network it cannot reach.
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
        },
      },
    },
    { name: 'electron' },
  ],
});
