import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './support/browsers';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Builds the app if it has not been built (npm test builds first), and says up front why Electron runs are skipped. */
export default function globalSetup(): void {
  if (!existsSync(`${ROOT}/out/renderer/index.html`) || !existsSync(`${ROOT}/out/main/index.js`)) {
    execFileSync(process.execPath, [`${ROOT}/node_modules/electron-vite/bin/electron-vite.js`, 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  const binary = electronBinary();
  if ('missing' in binary) process.stdout.write(`[e2e] Electron project: every spec is skipped: ${binary.missing}\n`);
  else process.stdout.write(`[e2e] Electron project: using ${binary.path}\n`);
}
