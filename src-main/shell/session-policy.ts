import type { Session } from 'electron';
import { isPermissionGranted } from './permissions';

/** Applies the app's permission policy to a session: what the app's page uses is granted, nothing else ever is. */
export function applyPermissionPolicy(session: Session, devServerUrl?: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isPermissionGranted(permission, details.requestingUrl, devServerUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionGranted(permission, requestingOrigin, devServerUrl));
  // USB, HID, serial and Bluetooth devices: none, whoever asks.
  session.setDevicePermissionHandler(() => false);
}
