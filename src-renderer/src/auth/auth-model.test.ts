import { describe, expect, it } from 'vitest';
import type { ServerAuthState } from '../../../src-shared/oauth';
import { authActions, claimRows, expiresIn, formatBody, justSignedIn, nextStepOf, signedInAs, statusFacts } from './auth-model';

const NOW = Date.UTC(2026, 11, 2, 5, 0, 0);

function state(patch: Partial<ServerAuthState>): ServerAuthState {
  return { serverId: 'remote', status: 'not-required', hasRefreshToken: false, steps: [], updatedAt: NOW, ...patch };
}

describe('the Auth tab model', () => {
  it('offers Sign in and Step while no flow runs, Cancel while one does, Step between the steps of a step-by-step flow', () => {
    expect(authActions(state({ status: 'needs-sign-in' }))).toEqual({ signIn: true, step: true, cancel: false, signOut: false });
    expect(authActions(state({ status: 'in-progress', mode: 'all' }))).toEqual({ signIn: false, step: false, cancel: true, signOut: false });
    expect(authActions(state({ status: 'in-progress', mode: 'step', nextStep: 'token' })).step).toBe(true);
    // The browser step is running: nothing to step until the browser comes back.
    expect(authActions(state({ status: 'waiting-for-browser', mode: 'step' })).step).toBe(false);
    expect(authActions(state({ status: 'signed-in', hasRefreshToken: true })).signOut).toBe(true);
  });

  it('knows the next step of a step-by-step flow from its steps when the state was reported as a step wound up', () => {
    const steps = (running: boolean) => [
      { id: '1', kind: 'authorization' as const, state: running ? ('running' as const) : ('done' as const), summary: '', exchanges: [], details: {} },
      { id: '2', kind: 'token' as const, state: 'pending' as const, summary: '', exchanges: [], details: {} },
    ];
    expect(nextStepOf(state({ status: 'in-progress', mode: 'step', steps: steps(false) }))).toBe('token');
    expect(nextStepOf(state({ status: 'waiting-for-browser', mode: 'step', steps: steps(true) }))).toBeUndefined();
    expect(nextStepOf(state({ status: 'in-progress', mode: 'all', steps: steps(false) }))).toBeUndefined();
    expect(authActions(state({ status: 'in-progress', mode: 'step', steps: steps(false) })).step).toBe(true);
  });

  it('says who is signed in, the issuer, scopes, expiry and refresh token in the status line', () => {
    const facts = statusFacts(
      state({ status: 'signed-in', issuer: 'http://127.0.0.1:9000', scopes: ['mcp:tools'], expiresAt: NOW + 59 * 60_000, hasRefreshToken: true, tokenClaims: { sub: 'ada', name: 'Ada Lovelace' } }),
      NOW,
    );
    expect(facts).toEqual([
      { label: 'Signed in as', value: 'Ada Lovelace' },
      { label: 'Issuer', value: 'http://127.0.0.1:9000' },
      { label: 'Scopes', value: 'mcp:tools' },
      { label: 'Expires', value: 'in 59 min' },
      { label: 'Refresh token', value: 'yes' },
    ]);
    expect(signedInAs({ sub: 'ada' })).toBe('ada');
    expect(expiresIn(NOW - 3 * 60_000, NOW)).toBe('expired 3 min ago');
    expect(expiresIn(NOW + 12_000, NOW)).toBe('in 12 s');
  });

  it('shows exp and iat as times, audiences joined, other claims as JSON', () => {
    const rows = claimRows({ aud: ['http://a/mcp', 'http://b/mcp'], exp: NOW / 1000 + 3600, iat: NOW / 1000 - 60, cnf: { jkt: 'x' } }, NOW);
    expect(rows[0]).toEqual({ name: 'aud', value: 'http://a/mcp, http://b/mcp' });
    expect(rows[1]!.time).toMatch(/\(in 1 h 0 min\)$/);
    expect(rows[2]!.time).toMatch(/\(1 min ago\)$/);
    expect(rows[3]).toEqual({ name: 'cnf', value: '{"jkt":"x"}' });
  });

  it('indents JSON bodies and leaves others as they came', () => {
    expect(formatBody('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(formatBody('grant_type=authorization_code')).toBe('grant_type=authorization_code');
    expect(formatBody('{not json')).toBe('{not json');
  });

  it('tells a sign-in from a refresh (only a sign-in connects the server)', () => {
    expect(justSignedIn(state({ status: 'waiting-for-browser' }), state({ status: 'signed-in' }))).toBe(true);
    expect(justSignedIn(state({ status: 'needs-sign-in' }), state({ status: 'signed-in' }))).toBe(true);
    expect(justSignedIn(state({ status: 'signed-in' }), state({ status: 'signed-in', updatedAt: NOW + 1 }))).toBe(false);
    expect(justSignedIn(undefined, state({ status: 'signed-in' }))).toBe(false);
  });
});
