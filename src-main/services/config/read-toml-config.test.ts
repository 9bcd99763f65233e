import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigFileError } from './config-file-error';
import { parseConfigText, readConfigFile, type ConfigReadResult } from './read-config';

// Codex's config.toml, shaped as the Codex MCP docs show it: https://developers.openai.com/codex/mcp/ ("Configure
// with config.toml": `[mcp_servers.<name>]` with command/args/env/env_vars/cwd for stdio, url/bearer_token_env_var/
// http_headers/env_http_headers for Streamable HTTP, and enabled/startup_timeout_sec/tool_timeout_sec/enabled_tools).
const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', name);

function textError(text: string, file: string): ConfigFileError {
  try {
    parseConfigText(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return error as ConfigFileError;
  }
  throw new Error('expected a ConfigFileError');
}

describe('readConfigFile, Codex config.toml', () => {
  it('reads [mcp_servers.<name>] tables: stdio with env and env_vars, Streamable HTTP with a bearer variable and headers', async () => {
    expect(await readConfigFile(fixture('codex-config.toml'))).toEqual<ConfigReadResult>({
      format: 'codex',
      detection: 'Read as Codex config.toml because the file has [mcp_servers.<name>].',
      entries: [
        { name: 'context7', transport: 'stdio', command: 'npx', args: ['-y', '@upstash/context7-mcp'], env: { MY_ENV_VAR: 'MY_ENV_VALUE' } },
        { name: 'local-tool', transport: 'stdio', command: 'uv', args: ['run', 'server.py'], cwd: '/Users/me/code/tool', env: { HOME_TOKEN: '${env:HOME_TOKEN}' }, disabled: true },
        {
          name: 'figma',
          transport: 'streamable-http',
          url: 'https://mcp.figma.com/mcp',
          headers: { 'X-Figma-Region': 'us-east-1', 'X-Team': '${env:FIGMA_TEAM}', Authorization: 'Bearer ${env:FIGMA_OAUTH_TOKEN}' },
        },
      ],
      problems: [{ server: 'broken', message: 'server "broken" has neither a command (stdio) nor a url (Streamable HTTP)' }],
      warnings: [
        {
          server: 'local-tool',
          message: `server "local-tool": env_vars "HOME_TOKEN" (forwarded by Codex from its environment) imported as \${env:NAME}, filled from Patchbay's environment when it connects`,
        },
      ],
      inputs: [],
    });
  });

  it('reports a TOML syntax error with its line and column, and an empty file', () => {
    const error = textError('[mcp_servers.a]\ncommand = "npx"\nargs = [\n', 'config.toml');
    expect(error.message).toMatch(/^config\.toml:4:1: invalid TOML: /);
    expect(textError('  \n', 'config.toml').message).toBe('config.toml: the file is empty; expected a TOML file with [mcp_servers.<name>] tables');
  });

  it('says a TOML file without [mcp_servers] has no servers, naming Codex', () => {
    expect(textError('model = "o3"\n', 'config.toml').message).toBe('config.toml: no MCP servers found: expected [mcp_servers.<name>] (Codex config.toml)');
  });

  it('refuses a server with both a command and a url, and non-string env_http_headers', () => {
    const result = parseConfigText('[mcp_servers.a]\ncommand = "x"\nurl = "https://a.example/mcp"\n[mcp_servers.b]\nurl = "https://b.example/mcp"\nenv_http_headers = { X = 1 }\n', 'config.toml');
    expect(result.problems).toEqual([
      { server: 'a', message: 'server "a" has both a command and a url; keep one' },
      { server: 'b', message: 'server "b": env_http_headers must be a table of header names and variable names' },
    ]);
  });
});
