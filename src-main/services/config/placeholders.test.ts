import { describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import { fillDefaults, findPlaceholders, parsePlaceholders, resolvePlaceholders, type PlaceholderNeeds, type ResolveOutcome } from './placeholders';
import type { InputDefinition } from './vscode-inputs';

const stdio: ServerEntry = {
  name: 'github',
  transport: 'stdio',
  command: '${env:NODE_BIN}',
  args: ['--token', '${input:github-token}', '${workspaceFolder}/server.js', '--level=${LOG_LEVEL:-info}'],
  env: { GITHUB_TOKEN: '${GITHUB_TOKEN}', ORG: '${env:GITHUB_ORG}', PLAIN: 'literal', HOME_DIR: '${userHome}' },
  cwd: '${PROJECT_DIR:-/srv}/github',
};

const remote: ServerEntry = {
  name: 'docs',
  transport: 'streamable-http',
  url: 'https://api.example.com/${input:region}/mcp?key=${env:DOCS_KEY}',
  headers: { Authorization: 'Bearer ${DOCS_TOKEN}', 'X-Trace': '${TRACE:-}' },
};

const inputs: InputDefinition[] = [
  { id: 'github-token', type: 'promptString', description: 'GitHub personal access token', password: true },
  { id: 'region', type: 'pickString', description: 'Region', password: false, defaultValue: 'eu', options: ['eu', 'us'] },
];

describe('parsePlaceholders', () => {
  it.each([
    ['${env:TOKEN}', [{ text: '${env:TOKEN}', kind: 'env', name: 'TOKEN' }]],
    ['${TOKEN}', [{ text: '${TOKEN}', kind: 'env', name: 'TOKEN' }]],
    ['${TOKEN:-abc:-d}', [{ text: '${TOKEN:-abc:-d}', kind: 'env', name: 'TOKEN', defaultValue: 'abc:-d' }]],
    ['${TOKEN:-}', [{ text: '${TOKEN:-}', kind: 'env', name: 'TOKEN', defaultValue: '' }]],
    ['${input:api-key}', [{ text: '${input:api-key}', kind: 'input', name: 'api-key' }]],
    ['${workspaceFolder}', [{ text: '${workspaceFolder}', kind: 'variable', name: 'workspaceFolder' }]],
    ['${file:/run/secret}', [{ text: '${file:/run/secret}', kind: 'variable', name: 'file:/run/secret' }]],
    ['${env:}', [{ text: '${env:}', kind: 'variable', name: 'env:' }]],
    ['a ${A} b ${env:B}', [
      { text: '${A}', kind: 'env', name: 'A' },
      { text: '${env:B}', kind: 'env', name: 'B' },
    ]],
    ['no placeholder, $HOME, ${}, {braces}', []],
  ])('%s', (value, expected) => {
    expect(parsePlaceholders(value)).toEqual(expected);
  });
});

describe('findPlaceholders', () => {
  it('lists what a stdio entry needs from command, args, env values and cwd, inputs described by their definitions', () => {
    expect(findPlaceholders(stdio, inputs)).toEqual<PlaceholderNeeds>({
      env: [
        { name: 'NODE_BIN', required: true, fields: ['command'] },
        { name: 'LOG_LEVEL', required: false, defaultValue: 'info', fields: ['args[3]'] },
        { name: 'GITHUB_TOKEN', required: true, fields: ['env.GITHUB_TOKEN'] },
        { name: 'GITHUB_ORG', required: true, fields: ['env.ORG'] },
        { name: 'PROJECT_DIR', required: false, defaultValue: '/srv', fields: ['cwd'] },
      ],
      inputs: [{ id: 'github-token', defined: true, description: 'GitHub personal access token', password: true, fields: ['args[1]'] }],
      variables: [
        { name: 'workspaceFolder', fields: ['args[2]'] },
        { name: 'userHome', fields: ['env.HOME_DIR'] },
      ],
    });
  });

  it('lists what a remote entry needs from its url and header values', () => {
    expect(findPlaceholders(remote, inputs)).toEqual<PlaceholderNeeds>({
      env: [
        { name: 'DOCS_KEY', required: true, fields: ['url'] },
        { name: 'DOCS_TOKEN', required: true, fields: ['headers.Authorization'] },
        { name: 'TRACE', required: false, defaultValue: '', fields: ['headers.X-Trace'] },
      ],
      inputs: [{ id: 'region', defined: true, description: 'Region', password: false, defaultValue: 'eu', options: ['eu', 'us'], fields: ['url'] }],
      variables: [],
    });
  });

  it('marks an input without a definition, and a variable required once any use lacks a default', () => {
    const entry: ServerEntry = { name: 'x', transport: 'stdio', command: 'node', args: ['${A:-1}', '${A}', '${input:k}', '${input:k}'], env: {} };
    expect(findPlaceholders(entry)).toEqual<PlaceholderNeeds>({
      env: [{ name: 'A', required: true, defaultValue: '1', fields: ['args[0]', 'args[1]'] }],
      inputs: [{ id: 'k', defined: false, password: false, fields: ['args[2]', 'args[3]'] }],
      variables: [],
    });
  });

  it('needs nothing for an entry without placeholders', () => {
    expect(findPlaceholders({ name: 'p', transport: 'stdio', command: 'node', args: ['a'], env: { K: 'v' } })).toEqual({ env: [], inputs: [], variables: [] });
  });
});

describe('resolvePlaceholders', () => {
  it('fills in every field from env, inputs and variables, on a copy', () => {
    const before = structuredClone(stdio);
    const outcome = resolvePlaceholders(stdio, {
      env: { NODE_BIN: '/usr/bin/node', GITHUB_TOKEN: 'ghp_1', GITHUB_ORG: 'acme', LOG_LEVEL: 'debug' },
      inputs: { 'github-token': 'ghp_2' },
      variables: { workspaceFolder: '/work', userHome: '/home/me' },
    });
    expect(outcome).toEqual<ResolveOutcome>({
      ok: true,
      entry: {
        name: 'github',
        transport: 'stdio',
        command: '/usr/bin/node',
        args: ['--token', 'ghp_2', '/work/server.js', '--level=debug'],
        env: { GITHUB_TOKEN: 'ghp_1', ORG: 'acme', PLAIN: 'literal', HOME_DIR: '/home/me' },
        cwd: '/srv/github',
      },
    });
    expect(stdio).toEqual(before);
  });

  it('uses ${VAR:-default} when VAR is unset or empty, and an empty value as given for ${VAR}', () => {
    const entry: ServerEntry = { name: 'd', transport: 'stdio', command: 'node', args: ['${A:-fallback}', '${B:-fallback}', '${C}'], env: {} };
    expect(resolvePlaceholders(entry, { env: { B: '', C: '' } })).toEqual({ ok: true, entry: { ...entry, args: ['fallback', 'fallback', ''] } });
  });

  it('reports every missing value by name and where it is used, never filling in an empty string', () => {
    expect(resolvePlaceholders(stdio, { env: { NODE_BIN: 'node' } })).toEqual<ResolveOutcome>({
      ok: false,
      missing: [
        { kind: 'input', name: 'github-token', fields: ['args[1]'] },
        { kind: 'variable', name: 'workspaceFolder', fields: ['args[2]'] },
        { kind: 'env', name: 'GITHUB_TOKEN', fields: ['env.GITHUB_TOKEN'] },
        { kind: 'env', name: 'GITHUB_ORG', fields: ['env.ORG'] },
        { kind: 'variable', name: 'userHome', fields: ['env.HOME_DIR'] },
      ],
      message:
        'server "github" needs the input "github-token", a value for ${workspaceFolder}, the environment variable GITHUB_TOKEN, the environment variable GITHUB_ORG, a value for ${userHome}; an input is asked for when the server is connected in Patchbay, and has no answer yet',
    });
  });

  it('resolves a remote entry, and reports a url that is no URL once filled in', () => {
    expect(resolvePlaceholders(remote, { env: { DOCS_KEY: 'k1', DOCS_TOKEN: 't1' }, inputs: { region: 'eu' } })).toEqual<ResolveOutcome>({
      ok: true,
      entry: { name: 'docs', transport: 'streamable-http', url: 'https://api.example.com/eu/mcp?key=k1', headers: { Authorization: 'Bearer t1', 'X-Trace': '' } },
    });
    const broken: ServerEntry = { name: 'b', transport: 'sse', url: 'https://${HOST}.example/sse', headers: {} };
    expect(resolvePlaceholders(broken, { env: { HOST: 'bad host' } })).toEqual<ResolveOutcome>({
      ok: false,
      missing: [],
      message: 'server "b": its url https://${HOST}.example/sse, once filled in, does not parse as a URL; a remote server needs an http:// or https:// URL',
    });
  });

  // Claude Code's documented example (.mcp.json, "Environment variable expansion"): the whole base of the url is
  // a placeholder with a default, so the catalog keeps it as written and it is checked only once filled in.
  const apiServer: ServerEntry = {
    name: 'api-server',
    transport: 'streamable-http',
    url: '${API_BASE_URL:-https://api.example.com}/mcp',
    headers: { Authorization: 'Bearer ${API_KEY}' },
  };

  it('fills a url that is a placeholder with a default, from the environment or the default', () => {
    expect(resolvePlaceholders(apiServer, { env: { API_KEY: 'k' } })).toEqual<ResolveOutcome>({
      ok: true,
      entry: { ...apiServer, url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer k' } },
    });
    expect(resolvePlaceholders(apiServer, { env: { API_KEY: 'k', API_BASE_URL: 'http://127.0.0.1:8080' } })).toMatchObject({ ok: true, entry: { url: 'http://127.0.0.1:8080/mcp' } });
  });

  it.each([
    ['127.0.0.1:8080', 'its url ${API_BASE_URL:-https://api.example.com}/mcp, once filled in, does not start with http:// or https://'],
    ['ftp://files.example.com', 'its url ${API_BASE_URL:-https://api.example.com}/mcp, once filled in, has the scheme "ftp:"'],
    ['http://[::1', 'its url ${API_BASE_URL:-https://api.example.com}/mcp, once filled in, does not parse as a URL'],
    ['unix://host', 'its url ${API_BASE_URL:-https://api.example.com}/mcp, once filled in, names a host; a unix:// URL names a local socket: unix:///path'],
  ])('names the entry and what is wrong with the filled-in url (API_BASE_URL=%s)', (base, problem) => {
    expect(resolvePlaceholders(apiServer, { env: { API_KEY: 'k', API_BASE_URL: base } })).toEqual<ResolveOutcome>({
      ok: false,
      missing: [],
      message: `server "api-server": ${problem}; a remote server needs an http:// or https:// URL`,
    });
  });

  it('never shows a filled-in url, whose placeholders may hold a secret (a key in its query)', () => {
    const keyed: ServerEntry = { name: 'keyed', transport: 'streamable-http', url: '${BASE}/mcp?key=${API_KEY}', headers: {} };
    const outcome = resolvePlaceholders(keyed, { env: { BASE: 'api.example.com', API_KEY: 'sk-live-1234' } });
    expect(outcome).toEqual<ResolveOutcome>({
      ok: false,
      missing: [],
      message: 'server "keyed": its url ${BASE}/mcp?key=${API_KEY}, once filled in, does not start with http:// or https://; a remote server needs an http:// or https:// URL',
    });
    expect(JSON.stringify(outcome)).not.toContain('sk-live-1234');
  });

  it('fills a VS Code socket url and checks it once filled in', () => {
    const socket: ServerEntry = { name: 'local', transport: 'streamable-http', url: 'unix://${SOCKET_DIR}/app.sock#/mcp', headers: {} };
    expect(resolvePlaceholders(socket, { env: { SOCKET_DIR: '/run/app' } })).toMatchObject({ ok: true, entry: { url: 'unix:///run/app/app.sock#/mcp' } });
    expect(resolvePlaceholders(socket, { env: { SOCKET_DIR: 'run' } })).toEqual<ResolveOutcome>({
      ok: false,
      missing: [],
      message: 'server "local": its url unix://${SOCKET_DIR}/app.sock#/mcp, once filled in, names a host; a unix:// URL names a local socket: unix:///path; a remote server needs an http:// or https:// URL',
    });
  });

  it('refuses a header value that a placeholder filled with a line break, without showing the value', () => {
    const outcome = resolvePlaceholders(apiServer, { env: { API_KEY: 'secret\r\nX-Injected: 1' } });
    expect(outcome).toEqual<ResolveOutcome>({
      ok: false,
      missing: [],
      message: 'server "api-server": its header Authorization, once filled in, holds a line break or NUL character, which no HTTP header can carry',
    });
    expect(JSON.stringify(outcome)).not.toContain('secret');
  });

  it('fillDefaults shows a url with its defaults filled in and other placeholders kept', () => {
    expect(fillDefaults('${API_BASE_URL:-https://api.example.com}/mcp?team=${TEAM}&k=${input:key}')).toBe('https://api.example.com/mcp?team=${TEAM}&k=${input:key}');
  });

  it('does not expand placeholders inside filled-in values, nor read inherited keys', () => {
    const entry: ServerEntry = { name: 'n', transport: 'stdio', command: 'node', args: ['${A}', '${constructor}'], env: {} };
    const outcome = resolvePlaceholders(entry, { env: { A: '${B}', B: 'no' } });
    expect(outcome).toEqual({ ok: false, missing: [{ kind: 'env', name: 'constructor', fields: ['args[1]'] }], message: 'server "n" needs the environment variable constructor' });
    expect(resolvePlaceholders({ ...entry, args: ['${A}'] }, { env: { A: '${B}' } })).toEqual({ ok: true, entry: { ...entry, args: ['${B}'] } });
  });

  it("refuses to fill in a private value (the proxy's token), naming the variable, under any name", () => {
    const token = 'proxy-token-1234';
    const isPrivateEnv = (name: string, value: string) => name === 'PATCHBAY_TOKEN' || value.includes(token);
    const entry: ServerEntry = {
      name: 'leaky',
      transport: 'streamable-http',
      url: 'https://example.com/mcp?t=${env:COPY_OF_TOKEN}',
      headers: { Authorization: 'Bearer ${COPY_OF_TOKEN}', 'X-Other': '${OTHER}' },
    };
    const outcome = resolvePlaceholders(entry, { env: { COPY_OF_TOKEN: `x${token}`, OTHER: 'fine' }, isPrivateEnv });
    expect(outcome).toEqual({
      ok: false,
      missing: [],
      message:
        'server "leaky" cannot use ${env:COPY_OF_TOKEN} (the environment variable COPY_OF_TOKEN, in url, headers.Authorization): ' +
        "it holds Patchbay's own access token, which is never given to a server",
    });
    expect(JSON.stringify(outcome)).not.toContain(token);
    const byName = resolvePlaceholders({ name: 'n', transport: 'stdio', command: 'node', args: ['${PATCHBAY_TOKEN:-x}'], env: {} }, { env: { PATCHBAY_TOKEN: 'anything' }, isPrivateEnv });
    expect(byName).toMatchObject({ ok: false, message: expect.stringContaining('the environment variable PATCHBAY_TOKEN, in args[0]') });
    expect(resolvePlaceholders(entry, { env: { COPY_OF_TOKEN: 'other', OTHER: 'fine' }, isPrivateEnv })).toMatchObject({ ok: true });
  });
});
