import type { Client, Tool } from '@modelcontextprotocol/client';
import { getToolUiResourceUri } from '@modelcontextprotocol/ext-apps/app-bridge';
import { AppResourceMetaSchema, type AppResourceMeta } from '../../../src-shared/apps';

/** The tool's UI resource (`_meta.ui.resourceUri`, or the older flat key), or undefined; a malformed one is none. */
export function appResourceUriOf(tool: Tool): string | undefined {
  try {
    return getToolUiResourceUri(tool);
  } catch {
    return undefined;
  }
}

/** A malformed `_meta.ui.resourceUri` (not ui://): said in the Tools view rather than silently ignored. */
export function appResourceProblemOf(tool: Tool): string | undefined {
  try {
    getToolUiResourceUri(tool);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export interface AppResource {
  html: string;
  meta: AppResourceMeta;
  /** What the declaration held that Patchbay could not apply (a CSP domain that is no origin): shown, not applied. */
  problems: string[];
}

/** Reads the UI resource through the server's connected client (so it shows in the timeline) and checks its shape. */
export async function readAppResource(client: Client, uri: string): Promise<AppResource> {
  const result = await client.readResource({ uri });
  const content = result.contents.find((item) => item.uri === uri) ?? result.contents[0];
  if (!content) throw new Error(`${uri} has no content`);
  const html = 'text' in content && typeof content.text === 'string' ? content.text : 'blob' in content && typeof content.blob === 'string' ? decodeBase64(content.blob) : undefined;
  if (html === undefined) throw new Error(`${uri} has neither text nor blob content`);
  const declared = (content._meta as { ui?: unknown } | undefined)?.ui ?? {};
  const parsed = AppResourceMetaSchema.safeParse(declared);
  if (parsed.success) return { html, meta: parsed.data, problems: [] };
  // A bad declaration is refused whole: the app runs under the default (closed) policy, and the panel says why.
  return { html, meta: {}, problems: parsed.error.issues.map((issue) => `_meta.ui.${issue.path.join('.')}: ${issue.message}`) };
}

function decodeBase64(blob: string): string {
  const bytes = Uint8Array.from(atob(blob), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
