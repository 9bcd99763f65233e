import {
  FIXTURE_SERVER,
  MODERN_FIXTURE_SERVER,
  SURFACE_FIXTURE_SERVER,
  processesMatching,
  startModernRemoteFixture as startTaggedModernRemoteFixture,
  startRemoteFixture as startTaggedRemoteFixture,
  type ModernRemoteFixture,
  type RemoteFixture,
} from '../../src-main/test/processes';
import { startOAuthFixture as startTaggedOAuthFixture, type OAuthFixture, type OAuthFixtureOptions } from '../../src-main/test/oauth-fixture';

export { FIXTURE_SERVER };
export { BROKEN_SERVER, startBrokenRemoteServer } from '../../src-main/test/processes';

/** Marks the fixture processes this run starts, so "no child left" checks look at ours only. */
export const E2E_TAG = `--patchbay-e2e-run=${process.pid}`;

/** Pids of this run's fixture servers still alive (zombies excluded), from the OS process list. */
export function liveFixturePids(): number[] {
  return processesMatching(E2E_TAG);
}

/** A stdio catalog entry that runs the fixture server. */
export function stdioFixture(name: string, env: Record<string, string> = {}) {
  return { name, transport: 'stdio' as const, command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG], env };
}

/** A stdio catalog entry that runs the dual-era fixture server (SDK 2.x: server/discover and initialize). */
export function modernStdioFixture(name: string, env: Record<string, string> = {}) {
  return { name, transport: 'stdio' as const, command: process.execPath, args: [MODERN_FIXTURE_SERVER, E2E_TAG], env };
}

/** A stdio catalog entry that runs the surface fixture (SDK 2.x, both eras): FIXTURE_SURFACE=v2 is its changed version. */
export function surfaceStdioFixture(name: string, env: Record<string, string> = {}) {
  return { name, transport: 'stdio' as const, command: process.execPath, args: [SURFACE_FIXTURE_SERVER, E2E_TAG], env };
}

/** Starts the fixture as a remote server on a free loopback port (Streamable HTTP at /mcp, SSE at /sse). */
export function startRemoteFixture(): Promise<RemoteFixture> {
  return startTaggedRemoteFixture(E2E_TAG);
}

/** Starts the dual-era fixture as a remote server on a free loopback port (both eras at /mcp). */
export function startModernRemoteFixture(): Promise<ModernRemoteFixture> {
  return startTaggedModernRemoteFixture(E2E_TAG);
}

/** Starts the test authorization server and the OAuth MCP fixture it protects (both ended by `stop()`). */
export function startOAuthFixture(options: Omit<OAuthFixtureOptions, 'tag'> = {}): Promise<OAuthFixture> {
  return startTaggedOAuthFixture({ ...options, tag: E2E_TAG });
}

/** Polls until the predicate holds (bounded). */
export async function eventually(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
