import { parseArgs } from 'node:util';
import { UsageError } from './serve-args';

type FlagOptions = Readonly<Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>>;

/**
 * node:util's parseArgs in strict mode with positionals, its complaint (an unknown flag, a missing value) turned
 * into the UsageError the command-line tools print above their usage line.
 */
export function parseStrictFlags<const T extends FlagOptions>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
