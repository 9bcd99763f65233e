import { describe, expect, it } from 'vitest';
import { OAuthSettingsSchema, redactBody, redactHeaders, redactSecret, redactUrl, ServerAuthStateSchema } from './oauth';

const token = `eyJhbGciOiJSUzI1NiJ9.${'x'.repeat(800)}.sig`;

describe('OAuth redaction', () => {
  it('shows a long secret by its first four characters and its length, a short one by its length only', () => {
    expect(redactSecret(token)).toBe(`eyJh…(redacted, ${token.length} chars)`);
    expect(redactSecret('short')).toBe('…(redacted, 5 chars)');
  });

  it('redacts Authorization and cookies in headers, keeping the scheme', () => {
    expect(redactHeaders({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Cookie: 'a=b' })).toEqual({
      authorization: `Bearer eyJh…(redacted, ${token.length} chars)`,
      'content-type': 'application/json',
      cookie: '…(redacted, 3 chars)',
    });
  });

  it('redacts tokens in JSON at any depth and secret parameters in form bodies and URLs', () => {
    const json = redactBody(JSON.stringify({ access_token: token, token_type: 'Bearer', nested: { refresh_token: 'r'.repeat(40) } }), 'application/json');
    expect(json).not.toContain(token);
    expect(json).not.toContain('r'.repeat(40));
    expect(JSON.parse(json)).toMatchObject({ token_type: 'Bearer', access_token: `eyJh…(redacted, ${token.length} chars)` });
    const form = redactBody('grant_type=authorization_code&code=abcdefghijklmnopqrstuvwxyz&code_verifier=0123456789abcdef0123&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fcallback', 'application/x-www-form-urlencoded');
    expect(form).toContain('grant_type=authorization_code');
    expect(form).toContain('redirect_uri=http://127.0.0.1:5000/callback');
    expect(form).not.toContain('abcdefghijklmnopqrstuvwxyz');
    expect(form).not.toContain('0123456789abcdef0123');
    const url = redactUrl('http://127.0.0.1:5000/callback?code=abcdefghijklmnopqrstuvwxyz&state=s1');
    expect(url).not.toContain('abcdefghijklmnopqrstuvwxyz');
    expect(url).toContain('state=s1');
  });
});

describe('OAuth schemas', () => {
  it('refuses a client metadata URL that is not https with a path, saying why', () => {
    const parsed = OAuthSettingsSchema.safeParse({ clientMetadataUrl: 'http://client.example/meta.json' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('https:// URL with a path');
    expect(OAuthSettingsSchema.parse({ clientMetadataUrl: 'https://client.example/meta.json', scopes: ['mcp:read'] })).toMatchObject({ scopes: ['mcp:read'] });
  });

  it('reads a server auth state with its steps', () => {
    const state = ServerAuthStateSchema.parse({
      serverId: 'remote',
      status: 'failed',
      hasRefreshToken: false,
      updatedAt: 1,
      steps: [{ id: '1', kind: 'token', state: 'failed', summary: 'Redeem the code', exchanges: [], details: {}, failure: { message: 'iss differs', rule: 'iss must match', reference: 'RFC 9207 §2.4' } }],
    });
    expect(state.steps[0]?.failure?.reference).toBe('RFC 9207 §2.4');
  });
});
