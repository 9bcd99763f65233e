import type { AuthStatus, AuthStepKind, ServerAuthState } from '../../../src-shared/oauth';
import { formatRelativeTime } from '../format';

/** What the Auth tab shows and offers for a server's auth state; pure, so it is tested without a page. */

/** The status in words, as the tab's status line starts. */
export const AUTH_STATUS_LABELS: Record<AuthStatus, string> = {
  'not-required': 'No sign-in needed so far',
  'signed-out': 'Signed out',
  'needs-sign-in': 'Needs sign-in',
  'in-progress': 'Signing in…',
  'waiting-for-browser': 'Waiting for the browser',
  'signed-in': 'Signed in',
  failed: 'Sign-in failed',
};

/** A flow is under way: Sign in is refused, Cancel stops it. */
export function flowRunning(state: ServerAuthState | undefined): boolean {
  return state?.status === 'in-progress' || state?.status === 'waiting-for-browser';
}

/**
 * The step Step runs next in a step-by-step flow: the one main names, else (a state reported while the last step was
 * still winding up) the first pending step once none runs.
 */
export function nextStepOf(state: ServerAuthState | undefined): AuthStepKind | undefined {
  if (!state || !flowRunning(state) || state.mode !== 'step') return undefined;
  if (state.nextStep) return state.nextStep;
  if (state.steps.some((item) => item.state === 'running')) return undefined;
  return state.steps.find((item) => item.state === 'pending')?.kind;
}

/** Which buttons of the tab are enabled. */
export function authActions(state: ServerAuthState | undefined): { signIn: boolean; step: boolean; cancel: boolean; signOut: boolean } {
  const running = flowRunning(state);
  // A step-by-step flow moves on with Step while no step runs; with none under way Step starts one.
  const canStep = !running || nextStepOf(state) !== undefined;
  return {
    signIn: !running,
    step: canStep,
    cancel: running,
    signOut: state !== undefined && (state.status === 'signed-in' || state.hasRefreshToken || state.tokenClaims !== undefined),
  };
}

/** Who the token says signed in: a name, an email, else the subject. */
export function signedInAs(claims: Record<string, unknown> | undefined): string | undefined {
  if (!claims) return undefined;
  for (const key of ['name', 'preferred_username', 'email', 'sub']) {
    const value = claims[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

/** "in 59 min", "in 12 s", "expired 3 min ago". */
export function expiresIn(expiresAt: number, now: number): string {
  if (expiresAt <= now) return `expired ${formatRelativeTime(expiresAt, now)}`;
  const seconds = Math.round((expiresAt - now) / 1000);
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `in ${hours} h ${minutes % 60} min` : `in ${Math.floor(hours / 24)} d`;
}

/** The parts of the status line: each a label and its value, only those the state has. */
export function statusFacts(state: ServerAuthState, now: number): Array<{ label: string; value: string }> {
  const facts: Array<{ label: string; value: string }> = [];
  const who = signedInAs(state.tokenClaims);
  if (state.status === 'signed-in' && who) facts.push({ label: 'Signed in as', value: who });
  if (state.issuer) facts.push({ label: 'Issuer', value: state.issuer });
  if (state.scopes && state.scopes.length > 0) facts.push({ label: 'Scopes', value: state.scopes.join(' ') });
  if (state.expiresAt !== undefined) facts.push({ label: 'Expires', value: expiresIn(state.expiresAt, now) });
  if (state.status === 'signed-in' || state.hasRefreshToken) facts.push({ label: 'Refresh token', value: state.hasRefreshToken ? 'yes' : 'no' });
  if (state.clientId) facts.push({ label: 'Client', value: `${state.clientId}${state.registration ? ` (${REGISTRATION_LABELS[state.registration]})` : ''}` });
  return facts;
}

const REGISTRATION_LABELS = { cimd: 'Client ID Metadata Document', 'pre-registered': 'pre-registered', dynamic: 'Dynamic Client Registration' } as const;

/** JWT claims that are times (seconds since the epoch, RFC 7519 §4.1 and OpenID Connect). */
const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at']);

/** The decoded access token's claims as table rows; times also as local time and how far from now. */
export function claimRows(claims: Record<string, unknown>, now: number): Array<{ name: string; value: string; time?: string }> {
  return Object.entries(claims).map(([name, value]) => {
    const text = typeof value === 'string' ? value : Array.isArray(value) && value.every((item) => typeof item === 'string') ? value.join(', ') : JSON.stringify(value);
    if (TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)) {
      const at = value * 1000;
      const relative = at > now ? expiresIn(at, now) : formatRelativeTime(at, now);
      return { name, value: text, time: `${new Date(at).toLocaleString()} (${relative})` };
    }
    return { name, value: text };
  });
}

/** A body as shown: JSON indented, anything else as it came. */
export function formatBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(trimmed), null, 2);
    } catch {
      return body;
    }
  }
  return body;
}

/** The server has just become signed in (not merely refreshed): the runtime then connects it if it is not connected. */
export function justSignedIn(before: ServerAuthState | undefined, after: ServerAuthState): boolean {
  return after.status === 'signed-in' && before !== undefined && before.status !== 'signed-in';
}
