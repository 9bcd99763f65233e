import { resolve } from 'node:path';

const root = import.meta.dirname;
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Three bundles: the Electron main process (shell + services), the preload script and the React renderer.
// Runtime dependencies stay external to the main bundle (the installer ships them); the preload and the renderer
// inline everything they use.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The stress runner's load generator runs in a worker thread started from out/main/stress-worker.js.
      rollupOptions: { input: { index: resolve(root, 'src-main/shell/main.ts'), 'stress-worker': resolve(root, 'src-main/services/stress/stress-worker.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only electron, events, timers and url: every dependency is inlined, so the
      // bundle is one self-contained CommonJS file (src-main/shell/preload-bundle.test.ts loads it as the sandbox does).
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(root, 'src-main/shell/preload.ts') }, output: { format: 'cjs', entryFileNames: '[name].js' } },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
});
