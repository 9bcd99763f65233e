import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import { doctorPassed, firstFailedCheck, type DoctorReport } from '../../../src-shared/doctor';
import { closedPort, FIXTURE_SERVER, isAlive, processesMatching, RUN_TAG, startModernRemoteFixture, startRemoteFixture } from '../../test/helpers';
import { startOAuthFixture } from '../../test/oauth-fixture';
import { BROKEN_SERVER, startBrokenRemoteServer } from '../../test/processes';
import { diagnoseServer } from './diagnose';

// Each check is made to fail on purpose by a real misbehaving server (broken-server.mjs), and to pass on a good one.

const FAST = { stayUpMs: 500, timeoutMs: 2_000 };

function broken(mode: 'banner' | 'exits' | 'silent' | 'old-protocol' | 'slow', env: Record<string, string> = {}, modeArgs: string[] = []): ServerEntry {
  return { name: `broken-${mode}`, transport: 'stdio', command: process.execPath, args: [BROKEN_SERVER, mode, ...modeArgs, RUN_TAG], env };
}

function remote(url: string, transport: 'streamable-http' | 'sse' = 'streamable-http'): ServerEntry {
  return { name: 'remote', transport, url, headers: {} };
}

function statuses(report: DoctorReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
}

function check(report: DoctorReport, id: string) {
  const found = report.checks.find((entry) => entry.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((entry) => entry.id).join(', ')}`);
  return found;
}

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'patchbay-doctor-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('stdio checks', () => {
  it('passes every check on a good server', async () => {
    const report = await diagnoseServer({ name: 'fixture', transport: 'stdio', command: process.execPath, args: [FIXTURE_SERVER, RUN_TAG], env: {} }, FAST);
    expect(report.checks.filter((entry) => entry.status === 'failed')).toEqual([]);
    expect(doctorPassed(report)).toBe(true);
    expect(check(report, 'handshake').detail).toMatch(/patchbay-fixture .* answered (initialize|server\/discover)/);
    expect(check(report, 'protocol-version').detail).toMatch(/Both speak \d{4}-\d{2}-\d{2}/);
  });

  it('names the command and the PATH it searched when the command is not found', async () => {
    const report = await diagnoseServer({ name: 'missing', transport: 'stdio', command: 'patchbay-no-such-command', args: [], env: { PATH: scratch } }, FAST);
    const failed = firstFailedCheck(report)!;
    expect(failed.id).toBe('command-resolves');
    expect(failed.detail).toContain('"patchbay-no-such-command" was not found');
    expect(failed.evidence).toEqual([{ label: 'PATH searched', text: scratch }]);
    expect(statuses(report)).toMatchObject({ 'process-starts': 'skipped', handshake: 'skipped' });
    expect(check(report, 'handshake').detail).toContain('"The process starts and stays up" did not pass');
  });

  it('names what installs npx when npx is not on the PATH', async () => {
    const report = await diagnoseServer({ name: 'npx', transport: 'stdio', command: 'npx', args: ['-y', 'some-server'], env: { PATH: scratch } }, FAST);
    expect(check(report, 'command-resolves').fix).toContain('npx comes with Node.js');
  });

  it('fails a command on the PATH that is not executable', async () => {
    const dir = mkdtempSync(join(scratch, 'bin-'));
    writeFileSync(join(dir, 'not-runnable'), 'echo hi\n');
    chmodSync(join(dir, 'not-runnable'), 0o644);
    const report = await diagnoseServer({ name: 'x', transport: 'stdio', command: 'not-runnable', args: [], env: { PATH: dir } }, FAST);
    expect(check(report, 'command-resolves')).toMatchObject({ status: 'failed', fix: expect.stringContaining('chmod +x') });
  });

  it('fails a script whose #! interpreter is missing, with its first line as evidence', async () => {
    const script = join(scratch, 'server.sh');
    writeFileSync(script, '#!/usr/bin/env patchbay-no-such-interpreter\nprint("hi")\n');
    chmodSync(script, 0o755);
    const report = await diagnoseServer({ name: 'script', transport: 'stdio', command: script, args: [], env: {} }, FAST);
    expect(check(report, 'command-resolves').status).toBe('passed');
    const failed = firstFailedCheck(report)!;
    expect(failed.id).toBe('shebang-interpreter');
    expect(failed.detail).toContain('"patchbay-no-such-interpreter", which is not on the PATH');
    expect(failed.evidence[0]).toEqual({ label: `First line of ${script}`, text: '#!/usr/bin/env patchbay-no-such-interpreter' });
    expect(check(report, 'process-starts').status).toBe('skipped');
  });

  it('shows the banner a server prints on stdout, before and between messages', async () => {
    const report = await diagnoseServer(broken('banner'), FAST);
    expect(statuses(report)).toMatchObject({ 'process-starts': 'passed', handshake: 'passed', 'stdout-json-only': 'failed' });
    const failed = firstFailedCheck(report)!;
    expect(failed.id).toBe('stdout-json-only');
    expect(failed.detail).toContain('2 lines');
    expect(failed.detail).toContain('before its first message');
    expect(failed.evidence).toEqual([{ label: 'Offending stdout lines', text: 'Weather MCP server v1.0 starting...\nclient connected' }]);
    expect(failed.fix).toContain('stderr');
  });

  it('reports the exit code and stderr of a server that exits at once, and the variable it says is unset', async () => {
    const report = await diagnoseServer(broken('exits'), FAST);
    const starts = check(report, 'process-starts');
    expect(starts.status).toBe('failed');
    expect(starts.detail).toContain('exited with code 1');
    expect(starts.evidence).toEqual([{ label: 'stderr', text: 'Error: API_KEY is not set' }]);
    expect(check(report, 'handshake').status).toBe('skipped');
    const env = check(report, 'environment-variables');
    expect(env).toMatchObject({ status: 'failed', detail: expect.stringContaining('API_KEY') });
    expect(env.fix).toContain('Add API_KEY');
  });

  it('does not blame a variable that is set', async () => {
    const report = await diagnoseServer(broken('exits', { API_KEY: 'set-for-the-test' }), FAST);
    expect(check(report, 'environment-variables').status).toBe('passed');
    expect(check(report, 'process-starts').status).toBe('failed');
  });

  it('fails the handshake of a server that never answers initialize, and ends it', async () => {
    const report = await diagnoseServer(broken('silent'), FAST);
    const failed = firstFailedCheck(report)!;
    expect(failed.id).toBe('handshake');
    expect(failed.detail).toMatch(/never answered .*initialize \(waited 2 s\)/);
    expect(check(report, 'protocol-version').status).toBe('skipped');
    expect(processesMatching(`${BROKEN_SERVER} silent ${RUN_TAG}`).filter(isAlive)).toEqual([]);
  });

  it('fails a server that offers only a protocol version Patchbay does not speak, naming the versions it does', async () => {
    // It answers at once: the long timeout only keeps a loaded machine from turning this into a timeout.
    const report = await diagnoseServer(broken('old-protocol'), { stayUpMs: 500, timeoutMs: 10_000 });
    const failed = firstFailedCheck(report)!;
    expect(failed.id).toBe('handshake');
    expect(failed.detail).toMatch(/protocol version Patchbay does not speak: .*2024-01-01/);
    expect(failed.fix).toContain('Patchbay speaks 2026-07-28 (modern) and 2025-11-25');
    expect(processesMatching(`${BROKEN_SERVER} old-protocol ${RUN_TAG}`).filter(isAlive)).toEqual([]);
  });

  it('warns about a server that answers its handshake, but slowly', async () => {
    // 5 s of set-up against an 8 s timeout: past the warning's half-way mark, with 3 s to spare for a loaded machine.
    const report = await diagnoseServer(broken('slow', {}, ['5000']), { stayUpMs: 300, timeoutMs: 8_000 });
    const handshake = check(report, 'handshake');
    expect(handshake.status).toBe('warning');
    expect(handshake.detail).toMatch(/^broken-slow 1\.0\.0 answered (initialize|server\/discover), but slowly \(\d/);
    expect(handshake.fix).toContain('start heavy work after the handshake');
    expect(firstFailedCheck(report)).toBeUndefined();
  });

  it('fails a placeholder that has no value before starting anything', async () => {
    const report = await diagnoseServer({ name: 'p', transport: 'stdio', command: process.execPath, args: ['${env:PATCHBAY_DOCTOR_UNSET_VARIABLE}'], env: {} }, FAST);
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]).toMatchObject({ id: 'placeholders', status: 'failed', detail: expect.stringContaining('PATCHBAY_DOCTOR_UNSET_VARIABLE') });
  });
});

describe('remote checks', () => {
  it('passes every check on a good Streamable HTTP server, and says CORS is not a factor', async () => {
    const fixture = await startModernRemoteFixture();
    stops.push(fixture.stop);
    const report = await diagnoseServer(remote(fixture.url.href), FAST);
    expect(report.checks.filter((entry) => entry.status === 'failed')).toEqual([]);
    expect(statuses(report)).toMatchObject({ dns: 'passed', 'tcp-connect': 'passed', tls: 'skipped', 'http-status': 'passed', transport: 'passed', handshake: 'passed', cors: 'skipped' });
    expect(check(report, 'cors').detail).toContain('CORS is not a factor');
  });

  it('names a 404 and points at the path', async () => {
    const server = await startBrokenRemoteServer('http-404', RUN_TAG);
    stops.push(server.stop);
    const report = await diagnoseServer(remote(server.url.href), FAST);
    const failed = firstFailedCheck(report)!;
    expect(failed.id).toBe('http-status');
    expect(failed.detail).toContain('POST /mcp answered 404 Not Found');
    expect(failed.fix).toContain('/mcp');
    expect(check(report, 'handshake').status).toBe('skipped');
  });

  it('leads a 401 with WWW-Authenticate to the sign-in', async () => {
    const fixture = await startOAuthFixture({ tag: RUN_TAG });
    stops.push(fixture.stop);
    const report = await diagnoseServer(remote(fixture.mcpUrl), FAST);
    const failed = firstFailedCheck(report)!;
    expect(failed.id).toBe('http-status');
    expect(failed.detail).toContain('401');
    expect(failed.evidence[0]).toMatchObject({ label: 'WWW-Authenticate', text: expect.stringMatching(/^Bearer .*resource_metadata=/) });
    expect(failed.fix).toContain("Auth tab");
    expect(check(report, 'transport').status).toBe('skipped');
  });

  it('says which transport answered when the entry names the other one', async () => {
    const fixture = await startRemoteFixture();
    stops.push(fixture.stop);
    const report = await diagnoseServer(remote(`http://127.0.0.1:${fixture.port}/sse`, 'streamable-http'), FAST);
    expect(check(report, 'transport')).toMatchObject({ status: 'failed', detail: expect.stringContaining('answered the older HTTP+SSE'), fix: "Set the server's transport to SSE." });
  });

  it('fails the TCP connect to a port nothing listens on', async () => {
    const report = await diagnoseServer(remote(`http://127.0.0.1:${await closedPort()}/mcp`), FAST);
    expect(firstFailedCheck(report)).toMatchObject({ id: 'tcp-connect', detail: expect.stringContaining('connection refused') });
  });

  it('fails DNS for a name that does not resolve', async () => {
    const report = await diagnoseServer(remote('http://patchbay-doctor.invalid/mcp'), FAST);
    expect(firstFailedCheck(report)).toMatchObject({ id: 'dns', detail: expect.stringContaining('patchbay-doctor.invalid does not resolve') });
  });

  it('names a self-signed certificate', async () => {
    const server = await startBrokenRemoteServer('https-self-signed', RUN_TAG);
    stops.push(server.stop);
    const report = await diagnoseServer(remote(server.url.href), FAST);
    const failed = firstFailedCheck(report)!;
    expect(failed.id).toBe('tls');
    expect(failed.detail).toContain('the certificate is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)');
    expect(failed.evidence[0]?.text).toContain('subject 127.0.0.1');
  });

  it('fails a URL that does not parse', async () => {
    const report = await diagnoseServer(remote('http://exa mple.com/mcp'), FAST);
    expect(firstFailedCheck(report)?.id).toMatch(/url-parses|placeholders/);
  });
});

