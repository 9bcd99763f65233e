// Lint, including the layering rules of the architecture: imports point down only.
//   src-shared   → nothing of the others, no Node built-ins, no electron
//   src-main     → only the shell (src-main/shell) may import electron
//   src-renderer → no Node built-ins, no electron, nothing of src-main
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

const noElectron = { name: 'electron', message: 'Only the shell (src-main/shell) may import electron.' };
const noNodeBuiltins = nodeBuiltins.map((name) => ({ name, message: 'This layer runs without Node: no Node built-in modules.' }));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Type-aware rules need the TypeScript program; the few .js/.mjs files are outside tsconfig.json.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its error: await it, .catch it, or mark fire-and-forget with `void`.
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...noNodeBuiltins],
          patterns: [
            { group: ['**/src-main/**', '../src-main/*', '../../src-main/*'], message: 'src-shared imports nothing of src-main.' },
            { group: ['**/src-renderer/**', '../src-renderer/*', '../../src-renderer/*'], message: 'src-shared imports nothing of src-renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/**', 'bench/**', 'e2e/**', 'scripts/**'],
    ignores: ['src-main/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [{ group: ['**/src-renderer/**'], message: 'Main-process code does not import the renderer.' }],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...noNodeBuiltins],
          patterns: [{ group: ['**/src-main/**'], message: 'The renderer reaches main only through the api object and the proxy over HTTP.' }],
        },
      ],
    },
  },
);
