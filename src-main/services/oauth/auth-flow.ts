import { randomBytes } from 'node:crypto';
import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  exchangeAuthorization,
  registerClient,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthorizationServerMetadata, OAuthClientInformationMixed, OAuthClientMetadata, OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { checkResourceAllowed, resourceUrlFromServerUrl } from '@modelcontextprotocol/sdk/shared/auth-utils.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { AUTH_STEP_LABELS, redactUrl, type AuthChallenge, type AuthStep, type AuthStepKind, type OAuthSettings } from '../../../src-shared/oauth';
import type { OpenBrowser } from './browser-openers';
import { LoopbackReceiver, type CallbackParams } from './loopback-receiver';
import { recordingFetch } from './recording-fetch';
import { scopeList, scopeUnion } from './scopes';
import { AuthFlowError, SPEC_RULES } from './spec-rules';
import type { IssuerRecord, ServerRecord, TokenStore } from './token-store';

/** What a flow is started with. */
export interface FlowInput {
  server: string;
  /** The catalog entry's URL: the MCP server the token is for. */
  serverUrl: string;
  settings?: OAuthSettings;
  /** The 401's or 403's challenge that asked for it, if one did. */
  challenge?: AuthChallenge;
  /** A step-up: the server said the token lacks scope (403 insufficient_scope). */
  stepUp?: boolean;
  store: TokenStore;
  /** What reaches the resource and authorization servers (not the proxy's own token: these are other hosts). */
  fetchFn: FetchLike;
  openBrowser?: OpenBrowser;
  browserTimeoutMs: number;
  clientName: string;
}

/** The steps of a sign-in, in order (a step-up starts with its own step). */
const SIGN_IN_STEPS: AuthStepKind[] = ['protected-resource-metadata', 'authorization-server-metadata', 'client-registration', 'authorization', 'token'];

const SUMMARIES: Partial<Record<AuthStepKind, string>> = {
  'step-up': 'Work out the scopes to ask for: those asked for before and those the server now asks for.',
  'protected-resource-metadata': "Read the server's protected resource metadata (RFC 9728) to learn its authorization server.",
  'authorization-server-metadata': "Read the authorization server's metadata (RFC 8414, or OpenID Connect discovery).",
  'client-registration': 'Get a client id: a client metadata document, the credentials given in the catalog, or Dynamic Client Registration.',
  authorization: 'Open the authorization URL in a browser (PKCE S256, state, resource) and wait for the redirect to the loopback address.',
  token: 'Redeem the authorization code for an access token (with the PKCE verifier and the resource).',
};

/**
 * One sign-in to one server, step by step, on the SDK's own step functions. It runs all at once (`runAll`) or one
 * step per `runNext`; each step records its HTTP exchanges (redacted) and timing, and a failure names the rule
 * broken. What the SDK does not check is checked here: the metadata's issuer (RFC 8414 §3.3), the resource
 * (RFC 9728 §3.3) before anything goes to the authorization server, PKCE support, `state`, and `iss` (RFC 9207)
 * before the code is redeemed. Client registrations and tokens are saved keyed by issuer.
 */
export class AuthFlow {
  readonly steps: AuthStep[];
  private index = 0;
  private running?: Promise<void>;
  private cancelled = false;
  private receiver?: LoopbackReceiver;
  /** Set while the browser step waits: the URL to open. */
  authorizationUrl?: string;
  private urlReadyListeners: Array<() => void> = [];

  // What the steps found, for the next ones.
  private prm?: OAuthProtectedResourceMetadata;
  private authorizationServerUrl?: string;
  private resource?: string;
  private metadata?: AuthorizationServerMetadata;
  issuer?: string;
  private client?: OAuthClientInformationMixed;
  private registration?: IssuerRecord['registration'];
  private scope?: string;
  private codeVerifier?: string;
  private code?: string;

  constructor(
    private readonly input: FlowInput,
    private readonly onChange: () => void,
    idPrefix: string,
  ) {
    const kinds = input.stepUp ? (['step-up', ...SIGN_IN_STEPS] as AuthStepKind[]) : SIGN_IN_STEPS;
    this.steps = kinds.map((kind, i) => ({ id: `${idPrefix}-${i + 1}`, kind, state: 'pending', summary: SUMMARIES[kind] ?? AUTH_STEP_LABELS[kind], exchanges: [], details: {} }));
  }

  /** The step runNext runs next, if any is left. */
  get nextKind(): AuthStepKind | undefined {
    return this.steps[this.index]?.kind;
  }

  get finished(): boolean {
    return this.index >= this.steps.length || this.steps.some((step) => step.state === 'failed');
  }

  /** Whether a step is running now (in step mode, the browser step runs until the redirect comes). */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Resolves once the browser step has its URL ready, or the step in progress ended. */
  whenUrlReadyOr(done: Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve) => {
      this.urlReadyListeners.push(resolve);
      void done.then(
        () => resolve(),
        () => resolve(),
      );
    });
  }

  /** Runs every step left, in order. Rejects with the failure (its step marked failed). */
  async runAll(): Promise<void> {
    while (!this.finished) await this.runNext();
  }

  /** Runs the next step. Rejects with the failure (its step marked failed). */
  runNext(): Promise<void> {
    if (this.running) return Promise.reject(new AuthFlowError(`the ${AUTH_STEP_LABELS[this.steps[this.index]!.kind].toLowerCase()} step is still running`));
    if (this.finished) return Promise.reject(new AuthFlowError('this sign-in has no step left; start it again'));
    const step = this.steps[this.index]!;
    const run = this.runStep(step).finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  /** Stops the flow: the loopback receiver closes, the step waiting fails as cancelled. */
  cancel(): void {
    this.cancelled = true;
    this.receiver?.close('the sign-in was cancelled in Patchbay');
    this.receiver = undefined;
  }

  private async runStep(step: AuthStep): Promise<void> {
    step.state = 'running';
    step.startedAt = Date.now();
    this.onChange();
    const fetchFn = recordingFetch(this.input.fetchFn, (exchange) => {
      step.exchanges.push(exchange);
      this.onChange();
    });
    try {
      if (this.cancelled) throw new AuthFlowError('the sign-in was cancelled');
      await this.perform(step, fetchFn);
      if (this.cancelled) throw new AuthFlowError('the sign-in was cancelled');
      step.state = 'done';
      this.index += 1;
    } catch (error) {
      step.state = 'failed';
      const flowError = error instanceof AuthFlowError ? error : new AuthFlowError(describeError(error));
      step.failure = { message: flowError.message, rule: flowError.spec?.rule, reference: flowError.spec?.reference };
      this.receiver?.close(flowError.message);
      this.receiver = undefined;
      throw flowError;
    } finally {
      step.durationMs = Date.now() - step.startedAt;
      this.authorizationUrl = undefined;
      this.onChange();
    }
  }

  private async perform(step: AuthStep, fetchFn: FetchLike): Promise<void> {
    switch (step.kind) {
      case 'step-up':
        return this.planStepUp(step);
      case 'protected-resource-metadata':
        return this.discoverResource(step, fetchFn);
      case 'authorization-server-metadata':
        return this.discoverServer(step, fetchFn);
      case 'client-registration':
        return this.register(step, fetchFn);
      case 'authorization':
        return this.authorize(step);
      case 'token':
        return this.redeem(step, fetchFn);
      case 'refresh':
        throw new AuthFlowError('a refresh is not a step of a sign-in');
    }
  }

  private previous(): IssuerRecord | undefined {
    const record = this.record();
    return record?.issuer ? record.byIssuer[record.issuer] : undefined;
  }

  private record(): ServerRecord | undefined {
    return this.input.store.get(this.input.server, this.input.serverUrl);
  }

  private planStepUp(step: AuthStep): void {
    const before = this.previous();
    const earlier = before?.requestedScope ?? before?.tokens?.scope;
    step.details = { 'scopes before': earlier ?? '(none)', 'the server asks for': this.input.challenge?.scope ?? '(nothing named)' };
    step.summary = `The server answered ${this.input.challenge?.status ?? 403} insufficient_scope: sign in again asking for the scopes asked for before and the new ones together.`;
  }

  private async discoverResource(step: AuthStep, fetchFn: FetchLike): Promise<void> {
    const { serverUrl, challenge } = this.input;
    if (challenge?.resourceMetadata) step.details['from WWW-Authenticate'] = challenge.resourceMetadata;
    try {
      this.prm = await discoverOAuthProtectedResourceMetadata(serverUrl, { resourceMetadataUrl: challenge?.resourceMetadata }, fetchFn);
    } catch (error) {
      if (!/does not implement OAuth 2\.0 Protected Resource Metadata/.test(describeError(error))) throw error;
      // 2025-03-26 servers have none: their own origin is the authorization server.
      this.authorizationServerUrl = new URL(serverUrl).origin;
      this.resource = resourceUrlFromServerUrl(serverUrl).href;
      step.summary = `The server has no protected resource metadata: as MCP 2025-03-26 defined it, its origin ${this.authorizationServerUrl} is taken as the authorization server.`;
      step.details = { ...step.details, 'authorization server': this.authorizationServerUrl, resource: this.resource };
      return;
    }
    const servers = this.prm.authorization_servers ?? [];
    if (servers.length === 0) throw new AuthFlowError('the protected resource metadata lists no authorization server', SPEC_RULES.noAuthorizationServers);
    // The resource is checked before anything goes to an authorization server (no token for another resource).
    if (!checkResourceAllowed({ requestedResource: serverUrl, configuredResource: this.prm.resource })) {
      throw new AuthFlowError(`the protected resource metadata is for ${this.prm.resource}, not for this server's URL ${serverUrl}`, SPEC_RULES.resourceMismatch);
    }
    this.authorizationServerUrl = servers[0]!;
    // Sent as the metadata wrote it, in the authorization and the token request alike.
    this.resource = this.prm.resource;
    step.details = {
      ...step.details,
      resource: this.prm.resource,
      'authorization server': this.authorizationServerUrl,
      ...(servers.length > 1 ? { 'other authorization servers': servers.slice(1).join(' ') } : {}),
      ...(this.prm.scopes_supported ? { scopes_supported: this.prm.scopes_supported.join(' ') } : {}),
    };
    step.summary = `The server names ${this.authorizationServerUrl} as its authorization server, for the resource ${this.prm.resource}.`;
  }

  private async discoverServer(step: AuthStep, fetchFn: FetchLike): Promise<void> {
    const identifier = this.authorizationServerUrl!;
    const metadata = await discoverAuthorizationServerMetadata(identifier, { fetchFn });
    if (!metadata) {
      if (this.prm) throw new AuthFlowError(`no authorization server metadata was found for ${identifier}`, SPEC_RULES.noServerMetadata);
      // 2025-03-26: without metadata the default endpoints /authorize, /token and /register of the origin are used.
      this.issuer = identifier;
      step.summary = `No metadata at ${identifier}: the MCP 2025-03-26 default endpoints are used (/authorize, /token, /register).`;
      step.details = { issuer: identifier, endpoints: 'defaults (MCP 2025-03-26)' };
      return;
    }
    // RFC 8414 §3.3: identical to the identifier it was fetched for (one trailing slash on the identifier aside).
    if (metadata.issuer !== identifier && `${metadata.issuer}/` !== identifier) {
      throw new AuthFlowError(`the metadata fetched for ${identifier} names the issuer ${metadata.issuer}; nothing in it is used`, SPEC_RULES.metadataIssuerMismatch);
    }
    if (!(metadata.code_challenge_methods_supported ?? []).includes('S256')) {
      const listed = metadata.code_challenge_methods_supported;
      throw new AuthFlowError(
        listed ? `the authorization server supports PKCE only with ${listed.join(', ')}, not S256` : 'the authorization server does not say it supports PKCE (no code_challenge_methods_supported)',
        SPEC_RULES.noPkce,
      );
    }
    if (!metadata.response_types_supported.includes('code')) throw new AuthFlowError('the authorization server does not offer the authorization code flow', SPEC_RULES.noCodeResponse);
    this.metadata = metadata;
    this.issuer = metadata.issuer;
    step.details = {
      issuer: metadata.issuer,
      authorization_endpoint: metadata.authorization_endpoint,
      token_endpoint: metadata.token_endpoint,
      ...(metadata.registration_endpoint ? { registration_endpoint: metadata.registration_endpoint } : {}),
      ...(metadata.token_endpoint_auth_methods_supported ? { token_endpoint_auth_methods_supported: metadata.token_endpoint_auth_methods_supported.join(' ') } : {}),
      ...(metadata.scopes_supported ? { scopes_supported: metadata.scopes_supported.join(' ') } : {}),
      authorization_response_iss_parameter_supported: String(issParameterSupported(metadata)),
      client_id_metadata_document_supported: String(metadata.client_id_metadata_document_supported === true),
    };
    step.summary = `The authorization server ${metadata.issuer} supports PKCE S256; its metadata names its endpoints.`;
  }

  private async register(step: AuthStep, fetchFn: FetchLike): Promise<void> {
    const issuer = this.issuer!;
    const settings = this.input.settings;
    const kept = this.record()?.byIssuer[issuer];
    this.receiver = await LoopbackReceiver.start(kept?.redirectUri ? Number(new URL(kept.redirectUri).port) || undefined : undefined);
    const redirectUri = this.receiver.redirectUri;
    step.details = { issuer, 'redirect uri': redirectUri };
    const useKept = (): boolean => {
      if (!kept?.client || !kept.registration) return false;
      if (kept.registration === 'pre-registered') return kept.client.client_id === settings?.clientId && kept.client.client_secret === settings?.clientSecret;
      if (kept.registration === 'cimd') return kept.client.client_id === settings?.clientMetadataUrl && this.metadata?.client_id_metadata_document_supported === true;
      // A dynamic registration is kept unless the user now gives credentials or a metadata document applies.
      return settings?.clientId === undefined && !(settings?.clientMetadataUrl && this.metadata?.client_id_metadata_document_supported === true);
    };
    if (useKept()) {
      this.client = kept!.client as OAuthClientInformationMixed;
      this.registration = kept!.registration;
      step.summary = `Using the client id ${this.client.client_id} this server got from ${issuer} before (${kept!.registration}).`;
    } else if (settings?.clientId) {
      // Pre-registered credentials come first (MCP Authorization, Client Registration: priority order).
      const other = Object.entries(this.record()?.byIssuer ?? {}).find(([otherIssuer, entry]) => otherIssuer !== issuer && entry.registration === 'pre-registered');
      if (other) {
        throw new AuthFlowError(
          `the client id ${settings.clientId} in the catalog was used with ${other[0]}; the server now names ${issuer}. Sign out and check the credentials are for this authorization server`,
          SPEC_RULES.credentialsOfAnotherServer,
        );
      }
      this.client = { client_id: settings.clientId, ...(settings.clientSecret ? { client_secret: settings.clientSecret } : {}) };
      this.registration = 'pre-registered';
      step.summary = `Using the client id ${settings.clientId} given in the catalog (registered beforehand).`;
    } else if (settings?.clientMetadataUrl && this.metadata?.client_id_metadata_document_supported === true) {
      this.client = { client_id: settings.clientMetadataUrl, token_endpoint_auth_method: 'none' } as OAuthClientInformationMixed;
      this.registration = 'cimd';
      step.summary = `The authorization server takes client metadata documents: the client id is ${settings.clientMetadataUrl}.`;
    } else if (this.metadata === undefined || this.metadata.registration_endpoint) {
      const clientMetadata = {
        client_name: this.input.clientName,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        // A desktop app with a loopback redirect (OIDC Registration's default `web` would refuse it).
        application_type: 'native',
      } as OAuthClientMetadata & { application_type: string };
      try {
        this.client = await registerClient(this.authorizationServerUrl!, { metadata: this.metadata, clientMetadata, fetchFn });
      } catch (error) {
        throw new AuthFlowError(`Dynamic Client Registration at ${this.metadata?.registration_endpoint ?? `${this.authorizationServerUrl}/register`} failed: ${describeError(error)}`, SPEC_RULES.registrationRefused);
      }
      this.registration = 'dynamic';
      step.summary = `Registered with ${issuer} by Dynamic Client Registration: client id ${this.client.client_id}.`;
    } else {
      throw new AuthFlowError(
        `${issuer} offers no Dynamic Client Registration${this.metadata.client_id_metadata_document_supported ? ' and no client metadata document URL is set' : ' nor client metadata documents'}, and the catalog gives no client id for this server`,
        SPEC_RULES.noRegistration,
      );
    }
    step.details = { ...step.details, registration: this.registration ?? '', 'client id': this.client.client_id };
    const client = this.client;
    const registration = this.registration;
    await this.input.store.update(this.input.server, this.input.serverUrl, (record) => {
      record.byIssuer[issuer] = { ...record.byIssuer[issuer], authorizationServerUrl: this.authorizationServerUrl!, client: client as Record<string, unknown>, registration, redirectUri };
    });
  }

  private scopeToAsk(): string | undefined {
    const { challenge, settings, stepUp } = this.input;
    const before = this.previous();
    let scopes = scopeList(challenge?.scope ?? this.prm?.scopes_supported?.join(' '));
    if (stepUp) scopes = scopeUnion(scopeList(before?.requestedScope ?? before?.tokens?.scope), scopes);
    scopes = scopeUnion(scopes, settings?.scopes ?? []);
    // A refresh token is asked for only where the authorization server lists offline_access (SEP-2207).
    if (this.metadata?.scopes_supported?.includes('offline_access') && scopes.length > 0) scopes = scopeUnion(scopes, ['offline_access']);
    return scopes.length > 0 ? scopes.join(' ') : undefined;
  }

  private async authorize(step: AuthStep): Promise<void> {
    const receiver = this.receiver;
    if (!receiver) throw new AuthFlowError('the loopback receiver is not running; start the sign-in again');
    const state = randomBytes(24).toString('base64url');
    this.scope = this.scopeToAsk();
    const { authorizationUrl, codeVerifier } = await startAuthorization(this.authorizationServerUrl!, {
      metadata: this.metadata,
      clientInformation: this.client!,
      redirectUrl: receiver.redirectUri,
      scope: this.scope,
      state,
      resource: this.resource,
    });
    this.codeVerifier = codeVerifier;
    this.authorizationUrl = authorizationUrl.href;
    step.details = { scope: this.scope ?? '(none: the server named none)', resource: this.resource ?? '(none)', 'redirect uri': receiver.redirectUri, 'code challenge method': 'S256' };
    step.summary = 'Waiting for the browser: sign in there; the authorization server redirects back to Patchbay.';
    this.onChange();
    for (const listener of this.urlReadyListeners.splice(0)) listener();
    const startedAt = Date.now();
    const opened = Promise.resolve()
      .then(() => this.input.openBrowser?.(authorizationUrl.href))
      .then(
        () => new Promise<never>(() => undefined),
        (error: unknown) => Promise.reject(new AuthFlowError(`the browser could not be opened: ${describeError(error)}`)),
      );
    const params: CallbackParams = await Promise.race([receiver.wait(state, this.input.browserTimeoutMs), opened]);
    step.exchanges.push({
      method: 'GET',
      url: redactUrl(`${receiver.redirectUri}?${new URLSearchParams(params).toString()}`),
      requestHeaders: {},
      responseHeaders: {},
      startedAt,
      durationMs: Date.now() - startedAt,
    });
    try {
      this.checkResponse(params);
    } catch (error) {
      receiver.answer(false, `${(error as Error).message}. Go back to Patchbay.`);
      this.receiver = undefined;
      throw error;
    }
    this.code = params.code;
    receiver.answer(true, `Patchbay is signed in to "${this.input.server}"; you can close this tab.`);
    this.receiver = undefined;
    step.summary = 'The browser came back with an authorization code; state and iss check out.';
    if (params.iss) step.details.iss = params.iss;
  }

  /** RFC 9207 §2.4 as MCP applies it, then the response itself: nothing of a response from another issuer is used. */
  private checkResponse(params: CallbackParams): void {
    const advertised = this.metadata !== undefined && issParameterSupported(this.metadata);
    if (params.iss !== undefined) {
      // Simple string comparison: no case folding, no trailing-slash or port normalization.
      if (params.iss !== this.issuer) throw new AuthFlowError(`the authorization response came from the issuer ${params.iss}, not ${this.issuer}; the code was not redeemed`, SPEC_RULES.issMismatch);
    } else if (advertised) {
      throw new AuthFlowError(`${this.issuer} says it sends iss, and its authorization response has none; the code was not redeemed`, SPEC_RULES.issMissing);
    }
    if (params.error !== undefined) {
      throw new AuthFlowError(`the authorization server answered ${params.error}${params.error_description ? `: ${params.error_description}` : ''}`, SPEC_RULES.authorizationDenied);
    }
    if (!params.code) throw new AuthFlowError('the authorization response has no code', SPEC_RULES.noCode);
  }

  private async redeem(step: AuthStep, fetchFn: FetchLike): Promise<void> {
    let tokens;
    try {
      tokens = await exchangeAuthorization(this.authorizationServerUrl!, {
        metadata: this.metadata,
        clientInformation: this.client!,
        authorizationCode: this.code!,
        codeVerifier: this.codeVerifier!,
        redirectUri: this.redirectUriUsed(step),
        resource: this.resource,
        fetchFn,
      });
    } catch (error) {
      throw new AuthFlowError(`the token endpoint refused the code: ${describeError(error)}`, SPEC_RULES.tokenRefused);
    }
    const now = Date.now();
    const issuer = this.issuer!;
    const scope = tokens.scope ?? this.scope;
    await this.input.store.update(this.input.server, this.input.serverUrl, (record) => {
      record.issuer = issuer;
      record.byIssuer[issuer] = {
        ...record.byIssuer[issuer],
        authorizationServerUrl: this.authorizationServerUrl!,
        metadata: this.metadata as Record<string, unknown> | undefined,
        resource: this.resource,
        requestedScope: this.scope,
        tokens: {
          accessToken: tokens.access_token,
          tokenType: tokens.token_type,
          refreshToken: tokens.refresh_token,
          expiresAt: tokens.expires_in !== undefined ? now + tokens.expires_in * 1000 : undefined,
          scope,
          obtainedAt: now,
        },
      };
    });
    step.details = {
      token_type: tokens.token_type,
      ...(tokens.expires_in !== undefined ? { expires_in: `${tokens.expires_in} s` } : {}),
      scope: scope ?? '(none)',
      'refresh token': tokens.refresh_token ? 'yes' : 'no',
    };
    step.summary = `Signed in: an access token${tokens.expires_in !== undefined ? ` for ${tokens.expires_in} s` : ''}${tokens.refresh_token ? ', and a refresh token' : ''}.`;
  }

  private redirectUriUsed(step: AuthStep): string {
    const authorization = this.steps.find((other) => other.kind === 'authorization');
    const uri = authorization?.details['redirect uri'];
    if (!uri) throw new AuthFlowError(`the ${step.kind} step needs the authorization step first`);
    return uri;
  }
}

/** RFC 9207 §2.3's metadata field (the SDK keeps it, unnamed in its type). */
function issParameterSupported(metadata: AuthorizationServerMetadata): boolean {
  return (metadata as { authorization_response_iss_parameter_supported?: unknown }).authorization_response_iss_parameter_supported === true;
}

/** An error as one sentence (an OAuth error response's code and description included). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { errorCode?: unknown }).errorCode;
  const text = error.message.length > 500 ? `${error.message.slice(0, 500)}…` : error.message;
  return typeof code === 'string' && code !== '' && !text.includes(code) ? `${code}: ${text}` : text;
}
