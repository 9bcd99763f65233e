import { describe, expect, it } from 'vitest';
import { errorHint } from './server-status';

describe('errorHint', () => {
  it("takes a remote server's own 401 (needs sign-in) for OAuth, not for Patchbay's token", () => {
    const message = '"secured" needs sign-in (OAuth): sign in to it, then connect again: needs sign-in: the server answered 401 (invalid_token: Missing Authorization header) (HTTP 502)';
    expect(errorHint(message)).toMatch(/^The server asks for OAuth sign-in: press Sign in/);
    // Patchbay's own token refused still says so.
    expect(errorHint('HTTP 401: Unauthorized')).toBe('The access token was refused. Open the URL that npm run web printed again.');
  });
});
