import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The architecture's import rules are enforced by lint; this proves the rules bite. The example files do not
// exist, so the type-aware parser is told to give them a default project.
const EXAMPLE_FILES = ['src-main/services/proxy/example.ts', 'src-main/shell/example.ts', 'src-shared/example.ts', 'src-renderer/src/example.tsx'];
const eslint = new ESLint({
  overrideConfig: { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parserOptions: { projectService: { allowDefaultProject: EXAMPLE_FILES } } } },
});

async function lintMessages(filePath: string, code: string, ruleId: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const fatal = (result?.messages ?? []).filter((message) => message.fatal);
  if (fatal.length > 0) throw new Error(`lint could not parse ${filePath}: ${fatal.map((message) => message.message).join('; ')}`);
  return (result?.messages ?? []).filter((message) => message.ruleId === ruleId).map((message) => message.message);
}

const violations = (filePath: string, code: string) => lintMessages(filePath, code, 'no-restricted-imports');

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

  it('reject a promise nobody awaits, catches or marks with void', async () => {
    const floating = await lintMessages(
      'src-main/services/proxy/example.ts',
      'async function later(): Promise<void> {}\nlater();\nvoid later();\nlater().catch(() => undefined);\n',
      '@typescript-eslint/no-floating-promises',
    );
    expect(floating).toHaveLength(1);
  });
});
