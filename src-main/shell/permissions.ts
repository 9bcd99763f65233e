import { isAppUrl } from './app-origin';

/**
 * The web permissions the app's own page uses: writing to the clipboard (the Copy buttons), and reaching the
 * proxy on loopback (Chromium's Local Network Access asks before a page fetches 127.0.0.1 or *.localhost; the
 * CSP already limits that to the proxy's port). Everything else the
 * page, or anything it could load, asks for (camera, microphone, notifications, geolocation, USB, HID, serial,
 * MIDI, fullscreen, pointer lock, opening external protocols, ...) is denied, by both the request and the check
 * handler (Chromium asks one or the other depending on the API).
 */
const USED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'loopback-network', 'local-network-access']);

/** Whether a permission request or check from a frame at `requestingUrl` is granted. */
export function isPermissionGranted(permission: string, requestingUrl: string, devServerUrl?: string): boolean {
  return USED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl, devServerUrl);
}
