import { isAbsolute, join, normalize, relative } from 'node:path';

/** The renderer is served from this privileged scheme, never from file:// (which has no origin to guard). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'patchbay';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Maps an app:// URL to a file inside the renderer folder, or undefined if it names another host or escapes the
 * folder (`..`, encoded or not).
 */
export function resolveAppFile(url: string, rendererFolder: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  const file = normalize(join(rendererFolder, pathname === '/' ? 'index.html' : pathname));
  const inside = relative(rendererFolder, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  return file;
}

/** Where a navigation or window.open may go: stay in the app, leave for the system browser, or nowhere. */
export type NavigationDecision = 'allow' | 'open-externally' | 'deny';

/**
 * Decides a navigation request. Only the app's own pages (and the dev server in development) may load in the
 * window; http(s) links go to the system browser; everything else is denied.
 */
export function decideNavigation(url: string, devServerUrl?: string): NavigationDecision {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return 'deny';
  }
  if (target.origin === APP_ORIGIN || (target.protocol === `${APP_SCHEME}:` && target.host === APP_HOST)) return 'allow';
  if (devServerUrl && target.origin === new URL(devServerUrl).origin) return 'allow';
  if (target.protocol === 'https:' || target.protocol === 'http:') return 'open-externally';
  return 'deny';
}

/** Whether a frame URL belongs to the app (its own scheme, or the dev server in development). */
export function isAppUrl(url: string, devServerUrl?: string): boolean {
  return decideNavigation(url, devServerUrl) === 'allow';
}

/**
 * The renderer's development server (electron-vite sets ELECTRON_RENDERER_URL for `npm run dev`). A packaged app
 * ignores it: one environment variable must not make another page "the app", with the api at its disposal.
 */
export function developmentRendererUrl(isPackaged: boolean, env: NodeJS.ProcessEnv): string | undefined {
  if (isPackaged) return undefined;
  const url = env.ELECTRON_RENDERER_URL;
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname) ? url : undefined;
  } catch {
    return undefined;
  }
}
