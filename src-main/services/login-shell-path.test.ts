import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergePaths, pathFromLoginShell } from './login-shell-path';

const home = mkdtempSync(join(tmpdir(), 'patchbay-login-shell-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe.skipIf(process.platform === 'win32')("the login shell's PATH", () => {
  it("is read from the user's profile, whatever else the profile prints", async () => {
    writeFileSync(join(home, '.bash_profile'), 'echo "Welcome back!"\nexport PATH="/opt/homebrew/bin:$HOME/.volta/bin:$PATH"\n');
    const path = await pathFromLoginShell('/bin/bash', 10_000, { HOME: home, PATH: '/usr/bin:/bin', TERM: 'dumb' });
    // The system profile may set its own directories after ours; the profile's banner never gets in.
    expect(path?.startsWith(`/opt/homebrew/bin:${home}/.volta/bin:`)).toBe(true);
    expect(path).not.toContain('Welcome');
    expect(path?.split(':')).toContain('/usr/bin');
  });

  it('gives up on a profile that hangs, and on a shell that does not exist', async () => {
    const hanging = mkdtempSync(join(home, 'hang-'));
    writeFileSync(join(hanging, '.bash_profile'), 'sleep 30\n');
    expect(await pathFromLoginShell('/bin/bash', 300, { HOME: hanging, PATH: '/usr/bin:/bin' })).toBeUndefined();
    expect(await pathFromLoginShell('/no/such/shell', 1_000)).toBeUndefined();
    expect(await pathFromLoginShell('')).toBeUndefined();
  });
});

describe('merging PATHs', () => {
  it("puts the login shell's directories first and lists each once", () => {
    expect(mergePaths('/opt/homebrew/bin:/usr/bin', '/usr/bin:/bin:/usr/sbin', ':')).toBe('/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin');
    expect(mergePaths(undefined, '/usr/bin', ':')).toBe('/usr/bin');
    expect(mergePaths('C:\\tools', 'C:\\Windows;C:\\tools', ';')).toBe('C:\\tools;C:\\Windows');
  });
});
