/**
 * MCP content → what the inspector shows: text (pretty JSON when it is JSON), images and audio as data URLs,
 * resource links, embedded resources (text, or a blob's size), structured content checked against the tool's
 * output schema, and `isError`. Used for tool results, prompt messages, sampling requests and resource reads.
 */
import type { JsonSchema } from './schema-form/json-schema';
import { deepEqual, isPlainObject } from './schema-form/json-schema';
import { validateValue, type SchemaError } from './schema-form/validate';

/** One piece of content, ready to render. */
export type ContentView =
  | {
      kind: 'text';
      text: string;
      /** The text pretty-printed, when it is a JSON object or array. */
      json?: string;
      /** The text is the structured content serialized (as the spec recommends for older clients). */
      mirrorsStructured?: boolean;
    }
  | { kind: 'image'; mimeType: string; src: string; bytes: number }
  | { kind: 'audio'; mimeType: string; src: string; bytes: number }
  | { kind: 'resource-link'; uri: string; name: string; title?: string; description?: string; mimeType?: string; size?: number }
  | { kind: 'resource-text'; uri: string; mimeType?: string; text: string; json?: string }
  | { kind: 'resource-blob'; uri: string; mimeType?: string; bytes: number; src: string; fileName: string; isImage: boolean }
  | { kind: 'other'; type: string; json: string };

/** A tool result as the user sees it. */
export interface ToolResultView {
  isError: boolean;
  content: ContentView[];
  structured?: StructuredView;
}

/** `structuredContent`, and whether it fits the tool's `outputSchema`. */
export interface StructuredView {
  json: string;
  /** `unchecked` when the tool has no output schema. */
  validity: 'valid' | 'invalid' | 'unchecked';
  errors: SchemaError[];
}

/**
 * Describes a `tools/call` result. A tool with an output schema must return structuredContent unless isError; a
 * missing one is reported as invalid.
 */
export function describeToolResult(result: unknown, outputSchema?: JsonSchema): ToolResultView {
  const record = isPlainObject(result) ? result : {};
  const isError = record.isError === true;
  const content = (Array.isArray(record.content) ? record.content.map(describeContent) : []).map((view) =>
    view.kind === 'text' && view.json !== undefined && record.structuredContent !== undefined && deepEqual(JSON.parse(view.text), record.structuredContent)
      ? { ...view, mirrorsStructured: true }
      : view,
  );
  let structured: StructuredView | undefined;
  if (record.structuredContent !== undefined) {
    const errors = outputSchema === undefined ? [] : validateValue(record.structuredContent, outputSchema);
    structured = {
      json: JSON.stringify(record.structuredContent, null, 2),
      validity: outputSchema === undefined ? 'unchecked' : errors.length === 0 ? 'valid' : 'invalid',
      errors,
    };
  } else if (outputSchema !== undefined && !isError) {
    structured = { json: '', validity: 'invalid', errors: [{ path: '', message: 'The tool has an output schema but returned no structuredContent' }] };
  }
  return { isError, content, structured };
}

/** Describes one content block (of a tool result, a prompt message or a sampling message). */
export function describeContent(block: unknown): ContentView {
  if (!isPlainObject(block) || typeof block.type !== 'string') return { kind: 'other', type: 'unknown', json: prettyJson(block) };
  switch (block.type) {
    case 'text':
      if (typeof block.text === 'string') return { kind: 'text', text: block.text, json: jsonText(block.text) };
      break;
    case 'image':
    case 'audio':
      if (typeof block.data === 'string' && typeof block.mimeType === 'string') {
        return { kind: block.type, mimeType: block.mimeType, src: dataUrl(block.mimeType, block.data), bytes: base64ByteLength(block.data) };
      }
      break;
    case 'resource_link':
      if (typeof block.uri === 'string') {
        return {
          kind: 'resource-link',
          uri: block.uri,
          name: typeof block.name === 'string' ? block.name : block.uri,
          title: optionalString(block.title),
          description: optionalString(block.description),
          mimeType: optionalString(block.mimeType),
          size: typeof block.size === 'number' ? block.size : undefined,
        };
      }
      break;
    case 'resource':
      if (isPlainObject(block.resource)) return describeResourceContents(block.resource);
      break;
  }
  return { kind: 'other', type: block.type, json: prettyJson(block) };
}

/** Describes one entry of `resources/read`'s contents (or an embedded resource): text, or a blob with its size. */
export function describeResourceContents(contents: Record<string, unknown>): ContentView {
  const uri = typeof contents.uri === 'string' ? contents.uri : '';
  const mimeType = optionalString(contents.mimeType);
  if (typeof contents.text === 'string') return { kind: 'resource-text', uri, mimeType, text: contents.text, json: jsonText(contents.text) };
  if (typeof contents.blob === 'string') {
    const type = mimeType ?? 'application/octet-stream';
    return {
      kind: 'resource-blob',
      uri,
      mimeType,
      bytes: base64ByteLength(contents.blob),
      src: dataUrl(type, contents.blob),
      fileName: fileNameOf(uri, type),
      isImage: type.startsWith('image/'),
    };
  }
  return { kind: 'other', type: 'resource', json: prettyJson(contents) };
}

/** The bytes of base64 content (whitespace ignored). */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** The MIME type and bytes of a base64 data: URL (undefined for any other URL). */
export function parseDataUrl(url: string): { mimeType: string; bytes: Uint8Array<ArrayBuffer> } | undefined {
  const match = /^data:([^;,]*)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!match) return undefined;
  try {
    return { mimeType: match[1] || 'application/octet-stream', bytes: base64ToBytes(match[2]!) };
  } catch {
    return undefined;
  }
}

/** Bytes encoded by a base64 string (whitespace ignored). */
export function base64ByteLength(base64: string): number {
  const clean = base64.replace(/\s+/g, '');
  if (clean.length === 0) return 0;
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
}

/** A data: URL for base64 content. */
export function dataUrl(mimeType: string, base64: string): string {
  return `data:${mimeType};base64,${base64.replace(/\s+/g, '')}`;
}

/** A byte count for people: 512 B, 1.5 KB, 3.2 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${trimZero((bytes / 1024).toFixed(1))} KB`;
  return `${trimZero((bytes / (1024 * 1024)).toFixed(1))} MB`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** A file name for downloading a resource: the URI's last segment, else one made from the MIME type. */
export function fileNameOf(uri: string, mimeType: string): string {
  const last = uri.split(/[/\\]/).filter(Boolean).pop() ?? '';
  const clean = last.replace(/[?#].*$/, '').replace(/[^\w.-]+/g, '_');
  if (clean && !last.includes(':')) return clean;
  const extension = mimeType.split('/')[1]?.split(/[+;]/)[0] ?? 'bin';
  return `resource.${extension}`;
}

/** The text pretty-printed if it is a JSON object or array; undefined otherwise (plain text stays as it is). */
export function jsonText(text: string): string | undefined {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return undefined;
  }
}

/** JSON for display, two-space indented. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A message of a prompt or a sampling request: who speaks, and what. */
export interface MessageView {
  role: string;
  content: ContentView[];
}

/** Describes prompt or sampling messages; a message's content may be one block or (sampling) a list. */
export function describeMessages(messages: unknown): MessageView[] {
  if (!Array.isArray(messages)) return [];
  return messages.map((message) => {
    const record = isPlainObject(message) ? message : {};
    const content = Array.isArray(record.content) ? record.content : record.content === undefined ? [] : [record.content];
    return { role: typeof record.role === 'string' ? record.role : '?', content: content.map(describeContent) };
  });
}
