// `npm start`, `npm run dev`, `npm run dist` and `npm run dist:dir`: the desktop app's commands. Each makes sure
// the Electron binary is there (downloading it on first use, see electron-binary.ts) before handing over to
// electron-vite or electron-builder, so a fresh clone starts instead of failing with "Electron uninstall".
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronPackage, ensureElectron } from './electron-binary';
import { exitAfterFlush } from './stop-on-signals';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ELECTRON_VITE = binOf('electron-vite', 'electron-vite');
const ELECTRON_BUILDER = binOf('electron-builder', 'electron-builder');
const BUILDER_CONFIG = join(ROOT, 'build/electron-builder.yml');

const USAGE = `usage: tsx src-main/cli/desktop.ts <start|dev|dist> [--dir] [options for electron-builder]
  start   build, then start the desktop app (npm start)
  dev     start it with the renderer's dev server and reloading (npm run dev)
  dist    build the installers for this OS into dist/ (npm run dist); --dir: an unpacked app only (npm run dist:dir)`;

/** A package's command-line script, from its manifest's `bin`. */
function binOf(packageName: string, command: string): string {
  const manifestPath = createRequire(join(ROOT, 'package.json')).resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifestPath), manifest.bin[command]!);
}

/** Runs a node script in the project folder and resolves with its exit code; signals reach it through the terminal. */
function runNodeScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env, stdio: 'inherit' });
    child.once('error', (error) => {
      process.stderr.write(`error: could not run ${script}: ${error.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const pkg = electronPackage(ROOT);
  switch (command) {
    case 'start':
    case 'dev': {
      const electron = await ensureElectron(pkg);
      // electron-vite takes the binary from ELECTRON_EXEC_PATH before it looks for the package's path.txt.
      return runNodeScript(ELECTRON_VITE, [command === 'start' ? 'preview' : 'dev', ...rest], { ...process.env, ELECTRON_EXEC_PATH: electron.path });
    }
    case 'dist': {
      const built = await runNodeScript(ELECTRON_VITE, ['build'], process.env);
      if (built !== 0) return built;
      const args = ['--config', BUILDER_CONFIG, '--publish', 'never', ...rest];
      // electron-builder downloads the Electron zips it needs itself (one per target architecture); a local
      // distribution named by ELECTRON_OVERRIDE_DIST_PATH is used instead, for this machine's architecture only.
      const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
      if (override) args.push(`--config.electronDist=${override}`);
      const code = await runNodeScript(ELECTRON_BUILDER, args, process.env);
      if (code !== 0) {
        process.stderr.write(
          `\nelectron-builder failed (exit ${code}). It downloads the Electron ${pkg.version} distribution for each target; on a machine ` +
            `that cannot, unpack one and set ELECTRON_OVERRIDE_DIST_PATH to its folder (this architecture only).\n`,
        );
      }
      return code;
    }
    default:
      process.stderr.write(`${command ? `error: unknown command "${command}"\n` : ''}${USAGE}\n`);
      return 2;
  }
}

main().then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    exitAfterFlush(1);
  },
);
