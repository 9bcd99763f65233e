import { homedir } from 'node:os';
import { delimiter } from 'node:path';
import type { FinderContext } from './config-locations';

/**
 * Web mode only: a home folder for "Find my configs" to look in instead of the real one (for the end-to-end tests
 * and for trying the feature on a prepared folder). Nothing else in Patchbay reads it.
 */
export const FIND_CONFIGS_HOME_VARIABLE = 'PATCHBAY_FIND_CONFIGS_HOME';
/** Web mode only, with the home above: the working folders whose project files count, separated like PATH. */
export const FIND_CONFIGS_FOLDERS_VARIABLE = 'PATCHBAY_FIND_CONFIGS_FOLDERS';

/**
 * The finder's view of this machine: the real home, platform, environment and working folder, or, when
 * `honourFakeHome` is set (web mode) and PATCHBAY_FIND_CONFIGS_HOME is, that folder as home with none of the real
 * environment (so XDG_CONFIG_HOME or APPDATA cannot point back at the real home) and the folders of
 * PATCHBAY_FIND_CONFIGS_FOLDERS (none when unset) as working folders.
 */
export function finderContextFor(env: NodeJS.ProcessEnv, options: { honourFakeHome: boolean; cwd: string; platform?: NodeJS.Platform }): FinderContext {
  const platform = options.platform ?? process.platform;
  const fakeHome = options.honourFakeHome ? env[FIND_CONFIGS_HOME_VARIABLE] : undefined;
  if (fakeHome !== undefined && fakeHome.trim() !== '') {
    const folders = (env[FIND_CONFIGS_FOLDERS_VARIABLE] ?? '').split(delimiter).filter((folder) => folder.trim() !== '');
    return { home: fakeHome, platform, env: {}, workingFolders: folders };
  }
  return { home: homedir(), platform, env, workingFolders: [options.cwd] };
}
