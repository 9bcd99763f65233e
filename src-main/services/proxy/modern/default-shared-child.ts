import type { SessionSettings } from '../session-settings';
import type { SharedChildFactory } from './shared-child-contract';
import { SharedStdioChild } from './shared-stdio-child';

/** The proxy's shared children: a SharedStdioChild per stdio server, on the proxy's session settings. */
export function defaultSharedChildFactory(settings: SessionSettings): SharedChildFactory {
  return (entry, onReport) => new SharedStdioChild({ entry, settings, onEvent: onReport });
}
