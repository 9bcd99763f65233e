import { existsSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { init, parse } from 'es-module-lexer';
import { beforeAll, describe, expect, it } from 'vitest';

// An installer ships the production `dependencies` and nothing else: every package the built main process imports
// must be one of them, or the packaged app fails at start-up with "Cannot find package".

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN_BUNDLE = `${ROOT}out/main/index.js`;

/** The package a bare specifier names: `@scope/name/sub/path.js` → `@scope/name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The bare (package) imports of an ES module: static, dynamic with a literal, and re-exports. */
function bareImports(source: string): string[] {
  const [imports] = parse(source);
  const specifiers = imports.map((entry) => entry.n).filter((name): name is string => typeof name === 'string');
  const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
  return [...new Set(specifiers.filter((name) => !name.startsWith('.') && !name.startsWith('/') && !builtins.has(name) && !name.startsWith('node:')))];
}

describe('the built main bundle', () => {
  beforeAll(async () => {
    await init;
  });

  it('is built', () => {
    expect(existsSync(MAIN_BUNDLE), `${MAIN_BUNDLE} is missing: npm test builds it first (npm run build)`).toBe(true);
  });

  it('imports only electron and production dependencies, each resolvable from the project root', () => {
    const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { dependencies: Record<string, string> };
    const imports = bareImports(readFileSync(MAIN_BUNDLE, 'utf8'));
    expect(imports.length).toBeGreaterThan(0);
    const requireFromRoot = createRequire(`${ROOT}package.json`);
    const problems: string[] = [];
    for (const specifier of imports) {
      const name = packageOf(specifier);
      if (name === 'electron') continue; // provided by the Electron runtime, never shipped as a package
      if (!(name in manifest.dependencies)) problems.push(`${specifier}: "${name}" is not in package.json's dependencies`);
      try {
        requireFromRoot.resolve(specifier);
      } catch {
        // ESM-only packages without a require condition still resolve through import.meta.resolve.
        try {
          import.meta.resolve(specifier, `file://${ROOT}package.json`);
        } catch (error) {
          problems.push(`${specifier}: cannot be resolved from ${ROOT} (${(error as Error).message})`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('reads every kind of import the bundler emits', () => {
    const source = [
      'import express from "express";',
      'import { a } from "@modelcontextprotocol/sdk/server/sse.js";',
      'import "side-effect";',
      'import { join } from "node:path";',
      'import fs from "fs";',
      'export { b } from "re-exported";',
      'const later = () => import("lazy-dep");',
      'import local from "./chunk.js";',
    ].join('\n');
    expect(bareImports(source)).toEqual(['express', '@modelcontextprotocol/sdk/server/sse.js', 'side-effect', 're-exported', 'lazy-dep']);
    expect(packageOf('@modelcontextprotocol/sdk/server/sse.js')).toBe('@modelcontextprotocol/sdk');
    expect(packageOf('express')).toBe('express');
  });
});
