import { describe, expect, it } from 'vitest';
import { checkAnswers } from '../../../src-shared/inputs';
import { parseConfigText } from '../config';
import { exportCatalog } from '../config/export-config';
import { resolvePlaceholders } from '../config/placeholders';
import { checkServerAnswers } from './server-inputs';

// Shaped as VS Code's docs write them: the MCP configuration reference (code.visualstudio.com/docs/copilot/reference/
// mcp-configuration, "Input variables for sensitive data": `inputs` beside `servers`, `${input:id}` in env, args,
// headers, url) and the Variables reference ("Input variables": promptString with description, default, password;
// pickString with description, options as strings or { label, value }, default).
const VSCODE_MCP_JSON = `{
  // .vscode/mcp.json
  "inputs": [
    { "type": "promptString", "id": "api-key", "description": "Perplexity API Key", "password": true },
    { "type": "pickString", "id": "region", "description": "Which region", "options": ["eu", { "label": "United States", "value": "us" }], "default": "eu" },
    { "type": "promptString", "id": "unused", "description": "Used by no server" },
    { "type": "command", "id": "picked", "command": "extension.pickSomething" }
  ],
  "servers": {
    "perplexity": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "server-perplexity-ask", "--region=\${input:region}"],
      "env": { "PERPLEXITY_API_KEY": "\${input:api-key}" }
    },
    "remote": {
      "type": "http",
      "url": "https://\${input:region}.example.com/mcp",
      "headers": { "Authorization": "Bearer \${input:api-key}", "X-Pick": "\${input:picked}" }
    },
    "plain": { "command": "node", "args": ["server.js"] }
  }
}`;

describe('VS Code inputs in the catalog', () => {
  it('keeps with each server the definitions of the inputs it uses, and warns of a command input', () => {
    const result = parseConfigText(VSCODE_MCP_JSON, 'mcp.json');
    const byName = Object.fromEntries(result.entries.map((entry) => [entry.name, entry]));
    // In order of first use: args before env.
    expect(byName.perplexity!.inputs).toEqual([
      { type: 'pickString', id: 'region', description: 'Which region', options: ['eu', 'us'], default: 'eu' },
      { type: 'promptString', id: 'api-key', description: 'Perplexity API Key', password: true },
    ]);
    expect(byName.remote!.inputs).toEqual([
      { type: 'pickString', id: 'region', description: 'Which region', options: ['eu', 'us'], default: 'eu' },
      { type: 'promptString', id: 'api-key', description: 'Perplexity API Key', password: true },
    ]);
    expect(byName.plain!.inputs).toBeUndefined();
    expect(result.warnings).toContainEqual({ server: 'remote', message: 'server "remote": the input "picked" is of type "command", which only VS Code can run; Patchbay asks for it as plain text' });
  });

  it('fills inputs from the answers, and says which ones are missing with their description', () => {
    const entry = parseConfigText(VSCODE_MCP_JSON, 'mcp.json').entries.find((candidate) => candidate.name === 'perplexity')!;
    const missing = resolvePlaceholders(entry, { env: {}, inputs: { region: 'us' } });
    expect(missing).toMatchObject({ ok: false, message: expect.stringContaining('server "perplexity" needs the input "api-key" (Perplexity API Key)') });
    const filled = resolvePlaceholders(entry, { env: {}, inputs: { region: 'us', 'api-key': 'pplx-secret' } });
    expect(filled).toMatchObject({ ok: true, entry: { args: ['-y', 'server-perplexity-ask', '--region=us'], env: { PERPLEXITY_API_KEY: 'pplx-secret' } } });
  });

  it("refuses an answer that is not one of a pickString's options, or an input the server does not have", () => {
    const entry = parseConfigText(VSCODE_MCP_JSON, 'mcp.json').entries.find((candidate) => candidate.name === 'perplexity')!;
    expect(checkServerAnswers(entry, { region: 'mars', 'api-key': 'x' })).toEqual({ ok: false, message: 'server "perplexity": region: the input "region" must be one of "eu", "us"' });
    expect(checkServerAnswers(entry, { token: 'x' })).toEqual({ ok: false, message: 'server "perplexity": there is no input "token" in this server' });
    expect(checkServerAnswers(entry, { region: 'us', 'api-key': '' })).toEqual({ ok: true, answers: { region: 'us', 'api-key': '' } });
    expect(checkAnswers([{ type: 'promptString', id: 'a' }], { a: 3 })).toMatchObject({ ok: false });
  });

  it('exports back to VS Code with ${input:id} and the definitions as imported, never an answer', () => {
    const entries = parseConfigText(VSCODE_MCP_JSON, 'mcp.json').entries.filter((entry) => entry.name !== 'remote');
    const exported = JSON.parse(exportCatalog(entries, 'vscode').text) as Record<string, unknown>;
    expect(exported.inputs).toEqual([
      { type: 'pickString', id: 'region', description: 'Which region', options: ['eu', 'us'], default: 'eu' },
      { type: 'promptString', id: 'api-key', description: 'Perplexity API Key', password: true },
    ]);
    expect((exported.servers as Record<string, { env?: unknown }>).perplexity!.env).toEqual({ PERPLEXITY_API_KEY: '${input:api-key}' });
    // Read back, the servers keep the same definitions.
    const again = parseConfigText(exportCatalog(entries, 'vscode').text, 'mcp.json').entries;
    expect(again.find((entry) => entry.name === 'perplexity')!.inputs).toEqual(entries.find((entry) => entry.name === 'perplexity')!.inputs);
  });
});
