import { extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { RemoteServerEntry } from '../../../src-shared/catalog';
import type { AuthChallenge } from '../../../src-shared/oauth';
import { OAuthService } from './oauth-service';

/**
 * A remote upstream's fetch with OAuth: `Authorization: Bearer` with the server's token (refreshed before expiry)
 * on every request to the server's own origin, one refresh and retry on a 401, then (by the host's policy) a
 * sign-in and retry, or the 401 as it came with the server marked needs-sign-in; a 403 insufficient_scope steps
 * up within the limit. A catalog Authorization header wins: such an entry's requests pass untouched.
 */
export function authorizedFetch(service: OAuthService, server: string, entry: RemoteServerEntry, base: FetchLike): FetchLike {
  if (!OAuthService.applies(entry)) return base;
  const origin = new URL(entry.url).origin;
  return async (url, init) => {
    // The token goes only to the server it was issued for, never to another origin a response might name.
    if (new URL(String(url)).origin !== origin) return base(url, init);
    let token = await service.tokenFor(server, entry);
    let response = await base(url, withBearer(init, token));
    const tried = { refreshed: false, signedIn: false };
    let stepUps = 0;
    // Bounded: one refresh, one sign-in, and the step-ups the service allows.
    for (let round = 0; round < 3 + service.maxStepUps; round += 1) {
      if (response.status === 401) {
        const next = await service.onUnauthorized(server, entry, challengeOf(response), token, tried);
        if (!next) return response;
        tried[next.how === 'refreshed' ? 'refreshed' : 'signedIn'] = true;
        token = next.token;
      } else if (response.status === 403) {
        const challenge = challengeOf(response);
        if (challenge.error !== 'insufficient_scope') return response;
        const next = await service.onInsufficientScope(server, entry, challenge, stepUps);
        stepUps += 1;
        if (!next) return response;
        token = next;
        await response.body?.cancel().catch(() => undefined);
        response = await base(url, withBearer(init, token));
        continue;
      } else {
        return response;
      }
      await response.body?.cancel().catch(() => undefined);
      response = await base(url, withBearer(init, token));
    }
    return response;
  };
}

function withBearer(init: RequestInit | undefined, token: string | undefined): RequestInit | undefined {
  if (token === undefined) return init;
  const headers = new Headers(init?.headers);
  headers.set('authorization', `Bearer ${token}`);
  return { ...init, headers };
}

/** A 401's or 403's WWW-Authenticate (RFC 6750 §3, RFC 9728 §5.1), as the flow and the UI keep it. */
export function challengeOf(response: Response): AuthChallenge {
  const { resourceMetadataUrl, scope, error } = extractWWWAuthenticateParams(response);
  const header = response.headers.get('www-authenticate') ?? '';
  const description = /error_description="((?:[^"\\]|\\.)*)"/i.exec(header)?.[1];
  return {
    status: response.status,
    resourceMetadata: resourceMetadataUrl?.href,
    scope,
    error,
    errorDescription: description?.replace(/\\(.)/g, '$1'),
  };
}
