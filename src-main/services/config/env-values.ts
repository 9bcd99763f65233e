import { isJsonObject, type JsonObject } from './json-values';

/** An `env` object with every value a string, and a sentence for each value that was changed to get there. */
export interface CoercedEnv {
  env: unknown;
  warnings: string[];
}

/**
 * VS Code types a stdio server's env as `Record<string, string | number | null>` (`IMcpStdioServerConfiguration` in
 * src/vs/platform/mcp/common/mcpPlatformTypes.ts), and the Node-based hosts (Claude Desktop, Cursor, Windsurf,
 * Cline) hand env to `child_process.spawn`, which turns a number or a boolean into its text. So `"PORT": 3000`
 * and `"DEBUG": true` reach the server as "3000" and "true": they are imported that way, with a warning naming
 * each key. `null` is VS Code's way to remove an inherited variable, which a catalog entry cannot express: the
 * key is left out, with a warning. Anything else (an object, a list) stays as it is for the schema to report.
 * @param label `server "name"`, to start each warning.
 */
export function coerceEnvValues(label: string, env: unknown): CoercedEnv {
  if (!isJsonObject(env)) return { env, warnings: [] };
  const coerced: JsonObject = {};
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (typeof value === 'number' || typeof value === 'boolean') {
      coerced[key] = String(value);
      warnings.push(`${label}: env ${key} is the ${typeof value} ${String(value)} in the file; it was imported as the string "${String(value)}", which is what the host passes to the server`);
    } else if (value === null) {
      warnings.push(`${label}: env ${key} is null, which VS Code reads as "remove this variable"; a catalog entry cannot remove an inherited variable, so it was left out`);
    } else {
      coerced[key] = value;
    }
  }
  return { env: coerced, warnings };
}
