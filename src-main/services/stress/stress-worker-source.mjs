// Starts the stress worker from its TypeScript source (tests, tsx, web mode from source): tsx's require hook, unlike
// its ESM loader, also works inside a worker thread on Node 20. The bundled app starts the built stress-worker.js.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('tsx/cjs/api').require('./stress-worker.ts', import.meta.url);
