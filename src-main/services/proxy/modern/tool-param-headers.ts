import { JSON_RPC_ERRORS } from '../../../../src-shared/jsonrpc';
import { decodeHeaderValue } from './header-values';
import type { ModernRejection } from './modern-request';

/** One tool parameter mirrored into a header: `Mcp-Param-{header}` carries the argument at `path`. */
interface MirroredParam {
  header: string;
  path: string[];
}

/**
 * The `x-mcp-header` declarations of a stdio server's tools, learnt from the tools/list answers the proxy relays.
 * Over Streamable HTTP the server that reads the body must check that each `Mcp-Param-*` header matches the argument
 * it mirrors; a stdio server never sees the headers, so the proxy, which reads the body for it, checks them.
 */
export class ToolParamHeaders {
  private readonly byServer = new Map<string, Map<string, MirroredParam[]>>();

  /** Notes the declarations of the tools in a tools/list result (a later page or list replaces a tool's). */
  learn(server: string, result: unknown): void {
    const tools = (result as { tools?: unknown } | undefined)?.tools;
    if (!Array.isArray(tools)) return;
    let known = this.byServer.get(server);
    if (!known) this.byServer.set(server, (known = new Map()));
    for (const tool of tools as Array<{ name?: unknown; inputSchema?: unknown }>) {
      if (typeof tool?.name !== 'string') continue;
      const params: MirroredParam[] = [];
      collect(tool.inputSchema, [], params);
      if (params.length > 0) known.set(tool.name, params);
      else known.delete(tool.name);
    }
  }

  forget(server: string): void {
    this.byServer.delete(server);
  }

  /** Why a tools/call's `Mcp-Param-*` headers do not match its arguments, or undefined when they do (or are unknown). */
  check(server: string, params: Record<string, unknown>, header: (name: string) => string | undefined, id: string | number): ModernRejection | undefined {
    const declared = typeof params.name === 'string' ? this.byServer.get(server)?.get(params.name) : undefined;
    if (!declared) return undefined;
    const mismatch = (what: string): ModernRejection => ({ status: 400, code: JSON_RPC_ERRORS.headerMismatch, message: `Header mismatch: ${what}`, id });
    for (const { header: name, path } of declared) {
      const value = valueAt(params.arguments, path);
      const raw = header(`mcp-param-${name}`);
      if (value === undefined || value === null) continue;
      if (raw === undefined) return mismatch(`the required Mcp-Param-${name} header is missing (arguments.${path.join('.')} is ${JSON.stringify(value)})`);
      const decoded = decodeHeaderValue(raw);
      if (decoded === undefined) return mismatch(`the Mcp-Param-${name} header is not valid: "${raw}" starts like =?base64?…?= but is not Base64 of UTF-8 text`);
      if (!sameValue(decoded, value)) return mismatch(`the Mcp-Param-${name} header says "${decoded}" but arguments.${path.join('.')} is ${JSON.stringify(value)}`);
    }
    return undefined;
  }
}

/** The annotated properties reachable from the schema root through `properties` alone, as the binding allows. */
function collect(schema: unknown, path: string[], into: MirroredParam[]): void {
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  if (typeof properties !== 'object' || properties === null) return;
  for (const [key, property] of Object.entries(properties as Record<string, unknown>)) {
    const annotation = (property as { 'x-mcp-header'?: unknown } | undefined)?.['x-mcp-header'];
    if (typeof annotation === 'string' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(annotation)) into.push({ header: annotation, path: [...path, key] });
    collect(property, [...path, key], into);
  }
}

function valueAt(root: unknown, path: string[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A header's text against the argument it mirrors: strings as they are, integers numerically, booleans as true/false. */
function sameValue(text: string, value: unknown): boolean {
  if (typeof value === 'string') return text === value;
  if (typeof value === 'number') return text.trim() !== '' && Number(text) === value;
  if (typeof value === 'boolean') return text === String(value);
  return false;
}
