import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The architecture's import rules are enforced by lint; this proves the rules bite.
const eslint = new ESLint();

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('layering rules', () => {
  it('keep electron inside the shell', async () => {
    expect(await violations('src-main/services/proxy/example.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([
      "'electron' import is restricted from being used. Only the shell (src-main/shell) may import electron.",
    ]);
    expect(await violations('src-main/shell/example.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
  });

  it('keep Node and the other layers out of src-shared', async () => {
    const found = await violations('src-shared/example.ts', "import { readFileSync } from 'node:fs';\nimport { startProxy } from '../src-main/services/proxy/proxy-server';\nexport const x = [readFileSync, startProxy];\n");
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('no Node built-in modules');
    expect(found[1]).toContain('src-shared imports nothing of src-main');
  });

  it('keep Node, electron and main out of the renderer', async () => {
    const found = await violations(
      'src-renderer/src/example.tsx',
      "import { spawn } from 'child_process';\nimport { ipcRenderer } from 'electron';\nimport { startProxy } from '../../src-main/services/proxy/proxy-server';\nexport const x = [spawn, ipcRenderer, startProxy];\n",
    );
    expect(found).toHaveLength(3);
  });
});
