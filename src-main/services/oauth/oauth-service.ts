import { refreshAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthorizationServerMetadata, OAuthClientInformationMixed } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { decodeJwt } from 'jose';
import { hasPlaceholder, type RemoteServerEntry, type ServerEntry } from '../../../src-shared/catalog';
import { isSocketUrl } from '../../../src-shared/socket-url';
import { NEEDS_SIGN_IN, type AuthChallenge, type AuthFlowMode, type AuthStatus, type AuthStep, type ServerAuthState } from '../../../src-shared/oauth';
import type { AuthApi } from '../api/api-handlers';
import { CatalogError } from '../catalog/catalog-store';
import { AuthFlow, describeError } from './auth-flow';
import type { OpenBrowser } from './browser-openers';
import { recordingFetch } from './recording-fetch';
import { coversScopes, scopeList } from './scopes';
import { AuthFlowError, SPEC_RULES } from './spec-rules';
import type { IssuerRecord, ServerRecord, StoredTokens, TokenStore } from './token-store';

/**
 * What a host does when a request needs sign-in: `ask` (the app: the server's state says needs-sign-in and the
 * user presses Sign in), or `inline` (headless: the flow starts at once and the request is retried; with an opener
 * that needs no person, or one that prints the URL and waits).
 */
export type SignInPolicy = 'ask' | 'inline';

export interface OAuthServiceOptions {
  store: TokenStore;
  catalog: { get(name: string): ServerEntry | undefined };
  policy: SignInPolicy;
  /** Opens the authorization URL (the desktop shell's shell.openExternal); absent: the UI opens it from the state. */
  openBrowser?: OpenBrowser;
  /** What reaches the resource and authorization servers; Node's fetch unless a test gives another. */
  fetchFn?: FetchLike;
  /** How long the browser step waits for the redirect. */
  browserTimeoutMs?: number;
  /** A token this close to its expiry is refreshed before it is used. */
  refreshMarginMs?: number;
  /** Step-ups (403 insufficient_scope) tried per request before it fails. */
  maxStepUps?: number;
  clientName?: string;
}

interface Runtime {
  flow?: AuthFlow;
  mode?: AuthFlowMode;
  /** Settles when the flow running now ends (success or not). */
  completion?: Promise<boolean>;
  /** Steps shown: the last flow's, and refreshes since. */
  steps: AuthStep[];
  challenge?: AuthChallenge;
  /** A request got a 401 (or a 403 asking for more scope) that no token answers. */
  needsSignIn: boolean;
  /** The next sign-in is a step-up (the server asked for more scope). */
  stepUp: boolean;
  failed: boolean;
  signedOut: boolean;
  /** Why the last step-up was not tried (its limit, or nothing new to ask for), until a sign-in succeeds. */
  stepUpStopped?: string;
  error?: string;
  refreshing?: Promise<StoredTokens | undefined>;
  /** The URL the server was last reached at (placeholders filled), for the store's records. */
  serverUrl?: string;
  seq: number;
  updatedAt: number;
}

/** Steps kept per server (a long session refreshes often). */
const MAX_STEPS = 60;

/**
 * The OAuth engine: one auth state per remote server, the flows (all at once or one step at a time, one per server
 * at a time), refresh before expiry and on 401, step-up on 403 insufficient_scope, and sign out. It is the api's
 * AuthApi and gives the proxy's remote upstreams a fetch that attaches the server's token (auth-fetch.ts). Every
 * change is reported (redacted) to the listener the host sets (an `auth-state` lifecycle event); tokens never leave.
 */
export class OAuthService implements AuthApi {
  private readonly runtimes = new Map<string, Runtime>();
  private listener?: (state: ServerAuthState) => void;
  private readonly fetchFn: FetchLike;
  readonly policy: SignInPolicy;
  readonly maxStepUps: number;

  constructor(private readonly options: OAuthServiceOptions) {
    this.fetchFn = options.fetchFn ?? fetch;
    this.policy = options.policy;
    this.maxStepUps = options.maxStepUps ?? 2;
  }

  /** Where every state change goes (the host emits it as an `auth-state` lifecycle event). */
  onStateChange(listener: (state: ServerAuthState) => void): void {
    this.listener = listener;
  }

  /** Whether OAuth applies to an entry: a remote http(s) server whose catalog headers set no Authorization. */
  static applies(entry: ServerEntry): entry is RemoteServerEntry {
    if (entry.transport === 'stdio' || isSocketUrl(entry.url)) return false;
    return !Object.keys(entry.headers).some((name) => name.toLowerCase() === 'authorization');
  }

  // --- the api (AuthApi) ---

  state(serverId: string): ServerAuthState {
    const entry = this.options.catalog.get(serverId);
    const runtime = this.runtime(serverId);
    const record = entry && entry.transport !== 'stdio' ? this.record(serverId, entry) : undefined;
    const current = record?.issuer ? record.byIssuer[record.issuer] : undefined;
    const tokens = current?.tokens;
    const flow = runtime.flow;
    const flowOpen = flow !== undefined && !flow.finished && runtime.completion !== undefined;
    const stepping = flow !== undefined && !flow.finished && runtime.mode === 'step';
    let status: AuthStatus;
    if (entry && !OAuthService.applies(entry)) status = 'not-required';
    else if ((flowOpen || stepping) && flow.authorizationUrl) status = 'waiting-for-browser';
    else if (flowOpen || stepping) status = 'in-progress';
    else if (runtime.failed) status = 'failed';
    else if (runtime.needsSignIn) status = 'needs-sign-in';
    else if (tokens) status = 'signed-in';
    else if (runtime.signedOut) status = 'signed-out';
    else status = 'not-required';
    return {
      serverId,
      status,
      mode: flowOpen || stepping ? runtime.mode : undefined,
      nextStep: stepping && !flow.busy ? flow.nextKind : undefined,
      issuer: flow?.issuer ?? record?.issuer,
      resource: current?.resource,
      clientId: typeof current?.client?.client_id === 'string' ? current.client.client_id : undefined,
      registration: current?.registration,
      scopes: tokens?.scope !== undefined ? scopeList(tokens.scope) : undefined,
      expiresAt: tokens?.expiresAt,
      hasRefreshToken: tokens?.refreshToken !== undefined,
      steps: structuredClone(flow && !runtime.steps.includes(flow.steps[0]!) ? [...runtime.steps, ...flow.steps] : runtime.steps),
      authorizationUrl: flowOpen || stepping ? flow.authorizationUrl : undefined,
      tokenClaims: tokens ? claimsOf(tokens.accessToken) : undefined,
      challenge: runtime.challenge,
      error: runtime.error,
      updatedAt: runtime.updatedAt,
    };
  }

  async start(serverId: string, mode: AuthFlowMode): Promise<ServerAuthState> {
    const entry = this.requireEntry(serverId);
    const runtime = this.runtime(serverId);
    if (runtime.flow && !runtime.flow.finished && (runtime.completion || runtime.mode === 'step')) {
      throw new CatalogError(`a sign-in to "${serverId}" is already under way; cancel it first`);
    }
    const flow = this.newFlow(serverId, entry, runtime);
    runtime.mode = mode;
    if (mode === 'all') {
      const completion = this.track(serverId, runtime, flow, flow.runAll());
      await flow.whenUrlReadyOr(completion);
    }
    this.changed(serverId);
    return this.state(serverId);
  }

  async next(serverId: string): Promise<ServerAuthState> {
    this.requireEntry(serverId);
    const runtime = this.runtime(serverId);
    const flow = runtime.flow;
    if (!flow || flow.finished || runtime.mode !== 'step') throw new CatalogError(`no step-by-step sign-in to "${serverId}" is under way; start one first`);
    if (flow.busy) throw new CatalogError(`the current step of the sign-in to "${serverId}" is still running (waiting for the browser?)`);
    const last = flow.nextKind === 'token';
    const step = flow.runNext();
    const settled = last ? this.track(serverId, runtime, flow, step) : step.then(
      () => true,
      (error: unknown) => this.failed(serverId, runtime, flow, error),
    );
    await flow.whenUrlReadyOr(settled);
    return this.state(serverId);
  }

  async cancel(serverId: string): Promise<ServerAuthState> {
    this.requireEntry(serverId);
    const runtime = this.runtime(serverId);
    const flow = runtime.flow;
    if (flow && !flow.finished) {
      flow.cancel();
      await runtime.completion?.catch(() => undefined);
      // A cancel is the user's choice, not a failure of the server.
      this.retire(runtime, flow);
      runtime.failed = false;
      runtime.error = undefined;
      this.changed(serverId);
    }
    return this.state(serverId);
  }

  async signOut(serverId: string): Promise<ServerAuthState> {
    this.requireEntry(serverId);
    const runtime = this.runtime(serverId);
    runtime.flow?.cancel();
    this.retire(runtime, runtime.flow);
    // Tokens and this server's client registrations are forgotten together: the next sign-in starts from discovery.
    await this.options.store.forget(serverId);
    runtime.steps = [];
    runtime.signedOut = true;
    runtime.needsSignIn = false;
    runtime.failed = false;
    runtime.stepUp = false;
    runtime.stepUpStopped = undefined;
    runtime.error = undefined;
    runtime.challenge = undefined;
    this.changed(serverId);
    return this.state(serverId);
  }

  /** Forgets a server removed from the catalog (its tokens too). */
  async forget(serverId: string): Promise<void> {
    this.runtimes.get(serverId)?.flow?.cancel();
    this.runtimes.delete(serverId);
    await this.options.store.forget(serverId);
  }

  /** Stops every flow (Patchbay quits): their loopback receivers close. */
  close(): void {
    for (const runtime of this.runtimes.values()) runtime.flow?.cancel();
  }

  // --- what the proxy's fetch asks (auth-fetch.ts) ---

  /** The token to send to the server now: refreshed first when it is about to expire. Undefined: none. */
  async tokenFor(serverId: string, entry: RemoteServerEntry): Promise<string | undefined> {
    this.runtime(serverId).serverUrl = entry.url;
    const tokens = this.current(serverId, entry)?.tokens;
    if (!tokens) return undefined;
    const margin = this.options.refreshMarginMs ?? 60_000;
    if (tokens.expiresAt !== undefined && tokens.expiresAt - Date.now() < margin && tokens.refreshToken) {
      const refreshed = await this.refresh(serverId, entry, tokens.accessToken, 'the access token expires');
      if (refreshed) return refreshed.accessToken;
      return tokens.expiresAt > Date.now() ? tokens.accessToken : undefined;
    }
    return tokens.accessToken;
  }

  /**
   * A 401 from the server: refresh once (when a token was sent and a refresh token is kept), else forget the
   * token the server refused and, by the host's policy, sign in now (inline) or mark it needs-sign-in. Answers the
   * token to retry with, or undefined (the 401 stands).
   */
  async onUnauthorized(serverId: string, entry: RemoteServerEntry, challenge: AuthChallenge, sent: string | undefined, tried: { refreshed: boolean; signedIn: boolean }): Promise<{ token: string; how: 'refreshed' | 'signed-in' } | undefined> {
    const runtime = this.runtime(serverId);
    runtime.challenge = challenge;
    if (sent !== undefined && !tried.refreshed) {
      const current = this.current(serverId, entry)?.tokens;
      // Another request may have refreshed it meanwhile.
      if (current && current.accessToken !== sent) return { token: current.accessToken, how: 'refreshed' };
      if (current?.refreshToken) {
        const refreshed = await this.refresh(serverId, entry, sent, 'the server answered 401 to the access token');
        if (refreshed) return { token: refreshed.accessToken, how: 'refreshed' };
      }
    }
    if (sent !== undefined) await this.dropTokens(serverId, entry, sent);
    if (this.policy === 'inline' && !tried.signedIn) {
      const token = await this.signInInline(serverId, false);
      if (token) return { token, how: 'signed-in' };
      return undefined;
    }
    this.markNeedsSignIn(serverId, runtime, `the server answered 401${challenge.error ? ` (${challenge.error}${challenge.errorDescription ? `: ${challenge.errorDescription}` : ''})` : ''}`);
    return undefined;
  }

  /**
   * A 403 insufficient_scope: a step-up (a new sign-in asking for the scopes asked for before and the new ones),
   * bounded: not when the token already has every scope asked for, and at most maxStepUps per request. Answers the
   * token to retry with, or undefined (the 403 stands, and the state says why).
   */
  async onInsufficientScope(serverId: string, entry: RemoteServerEntry, challenge: AuthChallenge, stepUpsSoFar: number): Promise<string | undefined> {
    const runtime = this.runtime(serverId);
    runtime.challenge = challenge;
    const current = this.current(serverId, entry);
    const granted = scopeList(current?.tokens?.scope ?? current?.requestedScope);
    const wanted = scopeList(challenge.scope);
    if (wanted.length > 0 && coversScopes(granted, wanted)) {
      this.noteLimit(serverId, runtime, `the server asks for ${wanted.join(' ')}, which the token was already given; a new sign-in would not change that`);
      return undefined;
    }
    if (stepUpsSoFar >= this.maxStepUps) {
      this.noteLimit(serverId, runtime, `the step-up limit of ${this.maxStepUps} per request was reached and the server still asks for ${wanted.join(' ') || 'more scope'}`);
      return undefined;
    }
    runtime.stepUp = true;
    if (this.policy === 'inline') return this.signInInline(serverId, true);
    this.markNeedsSignIn(serverId, runtime, `the server asks for more scope: ${wanted.join(' ') || '(unnamed)'} (403 insufficient_scope)`);
    return undefined;
  }

  /**
   * Why a server refused Patchbay's token (or the lack of one), when the engine knows: it needs sign-in, the last
   * flow failed, or a step-up stopped at its limit. For the sentence the session's client hears.
   */
  signInDetail(serverId: string): string | undefined {
    const runtime = this.runtimes.get(serverId);
    if (!runtime || (!runtime.needsSignIn && !runtime.failed && runtime.stepUpStopped === undefined)) return undefined;
    return runtime.stepUpStopped ?? runtime.error ?? NEEDS_SIGN_IN;
  }

  // --- inside ---

  private runtime(serverId: string): Runtime {
    let runtime = this.runtimes.get(serverId);
    if (!runtime) {
      runtime = { steps: [], needsSignIn: false, stepUp: false, failed: false, signedOut: false, seq: 0, updatedAt: Date.now() };
      this.runtimes.set(serverId, runtime);
    }
    return runtime;
  }

  private requireEntry(serverId: string): RemoteServerEntry {
    const entry = this.options.catalog.get(serverId);
    if (!entry) throw new CatalogError(`there is no server named "${serverId}"`);
    if (entry.transport === 'stdio') throw new CatalogError(`"${serverId}" is a stdio server: only remote servers sign in with OAuth`);
    if (!OAuthService.applies(entry)) throw new CatalogError(`the catalog entry of "${serverId}" sets its own Authorization header, which is sent instead of OAuth; remove it to sign in`);
    const url = this.runtime(serverId).serverUrl ?? entry.url;
    if (hasPlaceholder(url)) throw new CatalogError(`the url of "${serverId}" has placeholders that are filled when it connects; connect it once, then sign in`);
    return { ...entry, url };
  }

  private record(serverId: string, entry: RemoteServerEntry): ServerRecord | undefined {
    return this.options.store.get(serverId, this.runtime(serverId).serverUrl ?? entry.url);
  }

  private current(serverId: string, entry: RemoteServerEntry): IssuerRecord | undefined {
    const record = this.options.store.get(serverId, entry.url);
    return record?.issuer ? record.byIssuer[record.issuer] : undefined;
  }

  private newFlow(serverId: string, entry: RemoteServerEntry, runtime: Runtime): AuthFlow {
    this.retire(runtime, runtime.flow);
    runtime.steps = [];
    runtime.failed = false;
    runtime.error = undefined;
    runtime.signedOut = false;
    runtime.seq += 1;
    const flow = new AuthFlow(
      {
        server: serverId,
        serverUrl: entry.url,
        settings: entry.oauth,
        challenge: runtime.challenge,
        stepUp: runtime.stepUp,
        store: this.options.store,
        fetchFn: this.fetchFn,
        openBrowser: this.options.openBrowser,
        browserTimeoutMs: this.options.browserTimeoutMs ?? 5 * 60_000,
        clientName: this.options.clientName ?? 'MCP Patchbay',
      },
      () => this.changed(serverId),
      `flow${runtime.seq}`,
    );
    runtime.flow = flow;
    runtime.completion = undefined;
    return flow;
  }

  /** Keeps a flow's steps in the list once another flow (or none) takes its place. */
  private retire(runtime: Runtime, flow: AuthFlow | undefined): void {
    if (flow && !runtime.steps.includes(flow.steps[0]!)) runtime.steps = [...runtime.steps, ...flow.steps].slice(-MAX_STEPS);
    if (runtime.flow === flow) {
      runtime.flow = undefined;
      runtime.completion = undefined;
      runtime.mode = undefined;
    }
  }

  /** Watches a flow's end: success signs the server in, failure says why; never rejects. */
  private track(serverId: string, runtime: Runtime, flow: AuthFlow, run: Promise<void>): Promise<boolean> {
    const completion = run.then(
      () => {
        if (runtime.flow === flow) {
          runtime.needsSignIn = false;
          runtime.stepUp = false;
          runtime.stepUpStopped = undefined;
          runtime.failed = false;
          runtime.error = undefined;
          this.retire(runtime, flow);
        }
        this.changed(serverId);
        return true;
      },
      (error: unknown) => this.failed(serverId, runtime, flow, error),
    );
    runtime.completion = completion;
    return completion;
  }

  private failed(serverId: string, runtime: Runtime, flow: AuthFlow, error: unknown): false {
    if (runtime.flow === flow) {
      runtime.failed = true;
      runtime.error = describeError(error);
      this.retire(runtime, flow);
    }
    this.changed(serverId);
    return false;
  }

  /** Signs in now, one flow per server: a request that finds one running waits for it. Answers the new token. */
  private async signInInline(serverId: string, stepUp: boolean): Promise<string | undefined> {
    const runtime = this.runtime(serverId);
    runtime.stepUp = runtime.stepUp || stepUp;
    let completion = runtime.flow && !runtime.flow.finished ? runtime.completion : undefined;
    if (!completion) {
      const entry = this.requireEntry(serverId);
      const flow = this.newFlow(serverId, entry, runtime);
      runtime.mode = 'all';
      completion = this.track(serverId, runtime, flow, flow.runAll());
      this.changed(serverId);
    }
    const ok = await completion;
    if (!ok) return undefined;
    const entry = this.requireEntry(serverId);
    return this.current(serverId, entry)?.tokens?.accessToken;
  }

  private markNeedsSignIn(serverId: string, runtime: Runtime, why: string): void {
    runtime.needsSignIn = true;
    runtime.stepUpStopped = undefined;
    runtime.signedOut = false;
    runtime.error = `${NEEDS_SIGN_IN}: ${why}`;
    this.changed(serverId);
  }

  private noteLimit(serverId: string, runtime: Runtime, why: string): void {
    const at = Date.now();
    runtime.steps = [
      ...runtime.steps,
      {
        id: `stepup-limit-${at}`,
        kind: 'step-up' as const,
        state: 'failed' as const,
        startedAt: at,
        durationMs: 0,
        summary: 'No further step-up for this request.',
        exchanges: [],
        details: { 'the server asks for': runtime.challenge?.scope ?? '(nothing named)' },
        failure: { message: why, rule: SPEC_RULES.stepUpLimit.rule, reference: SPEC_RULES.stepUpLimit.reference },
      },
    ].slice(-MAX_STEPS);
    runtime.error = why;
    runtime.stepUpStopped = why;
    this.changed(serverId);
  }

  private async dropTokens(serverId: string, entry: RemoteServerEntry, refused: string): Promise<void> {
    const record = this.options.store.get(serverId, entry.url);
    if (!record?.issuer || record.byIssuer[record.issuer]?.tokens?.accessToken !== refused) return;
    await this.options.store.update(serverId, entry.url, (next) => {
      const issuer = next.issuer!;
      next.byIssuer[issuer] = { ...next.byIssuer[issuer]!, tokens: undefined };
    });
    this.changed(serverId);
  }

  /** Refreshes the server's token (one refresh at a time per server); undefined when it could not be. */
  private refresh(serverId: string, entry: RemoteServerEntry, replacing: string, why: string): Promise<StoredTokens | undefined> {
    const runtime = this.runtime(serverId);
    runtime.refreshing ??= this.runRefresh(serverId, entry, runtime, replacing, why).finally(() => {
      runtime.refreshing = undefined;
    });
    return runtime.refreshing;
  }

  private async runRefresh(serverId: string, entry: RemoteServerEntry, runtime: Runtime, replacing: string, why: string): Promise<StoredTokens | undefined> {
    const record = this.options.store.get(serverId, entry.url);
    const issuer = record?.issuer;
    const current = issuer ? record.byIssuer[issuer] : undefined;
    const tokens = current?.tokens;
    if (!issuer || !current || !tokens?.refreshToken || !current.client) return undefined;
    if (tokens.accessToken !== replacing) return tokens;
    const startedAt = Date.now();
    const step: AuthStep = {
      id: `refresh-${startedAt}-${runtime.steps.length}`,
      kind: 'refresh',
      state: 'running',
      startedAt,
      summary: `Refresh the access token: ${why}.`,
      exchanges: [],
      details: { issuer },
    };
    runtime.steps = [...runtime.steps, step].slice(-MAX_STEPS);
    this.changed(serverId);
    const fetchFn = recordingFetch(this.fetchFn, (exchange) => {
      step.exchanges.push(exchange);
      this.changed(serverId);
    });
    try {
      const fresh = await refreshAuthorization(current.authorizationServerUrl, {
        metadata: current.metadata as AuthorizationServerMetadata | undefined,
        clientInformation: current.client as OAuthClientInformationMixed,
        refreshToken: tokens.refreshToken,
        resource: current.resource,
        fetchFn,
      });
      const now = Date.now();
      const next: StoredTokens = {
        accessToken: fresh.access_token,
        tokenType: fresh.token_type,
        refreshToken: fresh.refresh_token ?? tokens.refreshToken,
        expiresAt: fresh.expires_in !== undefined ? now + fresh.expires_in * 1000 : undefined,
        scope: fresh.scope ?? tokens.scope,
        obtainedAt: now,
      };
      await this.options.store.update(serverId, entry.url, (stored) => {
        stored.byIssuer[issuer] = { ...stored.byIssuer[issuer]!, tokens: next };
      });
      step.state = 'done';
      step.summary = `Refreshed the access token (${why})${fresh.expires_in !== undefined ? `: valid for ${fresh.expires_in} s` : ''}.`;
      step.details = { issuer, ...(fresh.expires_in !== undefined ? { expires_in: `${fresh.expires_in} s` } : {}), 'new refresh token': fresh.refresh_token ? 'yes' : 'no' };
      runtime.needsSignIn = false;
      runtime.failed = false;
      runtime.error = undefined;
      return next;
    } catch (error) {
      const failure = new AuthFlowError(`the refresh was refused: ${describeError(error)}`, SPEC_RULES.tokenRefused);
      step.state = 'failed';
      step.failure = { message: failure.message, rule: failure.spec?.rule, reference: failure.spec?.reference };
      // A refresh token the server refuses is worth nothing: the next request signs in again.
      await this.options.store.update(serverId, entry.url, (stored) => {
        stored.byIssuer[issuer] = { ...stored.byIssuer[issuer]!, tokens: undefined };
      });
      return undefined;
    } finally {
      step.durationMs = Date.now() - startedAt;
      this.changed(serverId);
    }
  }

  private changed(serverId: string): void {
    const runtime = this.runtime(serverId);
    runtime.updatedAt = Date.now();
    try {
      this.listener?.(this.state(serverId));
    } catch {
      // A listener's failure is its own; the flow goes on.
    }
  }
}

/** The claims of a JWT access token, for display; undefined for an opaque token. */
function claimsOf(token: string): Record<string, unknown> | undefined {
  try {
    return decodeJwt(token) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
