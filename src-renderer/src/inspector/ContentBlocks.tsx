import { lazy, Suspense } from 'react';
import { formatBytes, type ContentView, type MessageView, type ToolResultView } from './result-model';
import { DataAudio, DataImage } from './Media';
import { describePath } from './schema-form/build';
import { copyWithNotice } from '../notifications/notification-store';

/** Content blocks (of a tool result, a prompt message, a sampling message or a resource read), one after another. */
export function ContentBlocks({ blocks }: { blocks: readonly ContentView[] }) {
  if (blocks.length === 0) return <p className="muted insp-empty">No content.</p>;
  return (
    <div className="insp-blocks">
      {blocks.map((block, index) => (
        <ContentBlock key={index} block={block} />
      ))}
    </div>
  );
}

/** One content block, shown the way a user wants to see it. */
export function ContentBlock({ block }: { block: ContentView }) {
  switch (block.kind) {
    case 'text':
      if (block.mirrorsStructured) {
        return (
          <details className="insp-block insp-mirror" data-kind="text">
            <summary>Text content: the structured content as JSON</summary>
            <pre className="insp-pre">{block.json ?? block.text}</pre>
          </details>
        );
      }
      return (
        <div className="insp-block" data-kind="text">
          <pre className="insp-pre">{block.json ?? block.text}</pre>
        </div>
      );
    case 'image':
      return (
        <figure className="insp-block insp-media" data-kind="image">
          <DataImage src={block.src} alt={`Image (${block.mimeType}, ${formatBytes(block.bytes)})`} />
          <figcaption className="muted">
            {block.mimeType} · {formatBytes(block.bytes)}
          </figcaption>
        </figure>
      );
    case 'audio':
      return (
        <figure className="insp-block insp-media" data-kind="audio">
          <DataAudio src={block.src} label={`Audio (${block.mimeType})`} />
          <figcaption className="muted">
            {block.mimeType} · {formatBytes(block.bytes)}
          </figcaption>
        </figure>
      );
    case 'resource-link':
      return (
        <div className="insp-block insp-resource" data-kind="resource-link">
          <div>
            <span className="tag">link</span> <strong>{block.title ?? block.name}</strong> <span className="mono">{block.uri}</span>
            {block.mimeType && <span className="muted"> · {block.mimeType}</span>}
            {block.size !== undefined && <span className="muted"> · {formatBytes(block.size)}</span>}
          </div>
          {block.description && <p className="muted insp-note">{block.description}</p>}
        </div>
      );
    case 'resource-text':
      return (
        <div className="insp-block insp-resource" data-kind="resource-text">
          <div>
            <span className="tag">resource</span> <span className="mono">{block.uri}</span>
            {block.mimeType && <span className="muted"> · {block.mimeType}</span>}
          </div>
          <pre className="insp-pre">{block.json ?? block.text}</pre>
        </div>
      );
    case 'resource-blob':
      return <BlobBlock block={block} />;
    case 'other':
      return (
        <div className="insp-block" data-kind="other">
          <span className="tag">{block.type}</span>
          <pre className="insp-pre">{block.json}</pre>
        </div>
      );
  }
}

/** A binary resource: its type and size, a preview for images, audio, video and PDF; Download and Copy (base64). */
function BlobBlock({ block }: { block: Extract<ContentView, { kind: 'resource-blob' }> }) {
  const type = (block.mimeType ?? '').toLowerCase();
  return (
    <div className="insp-block insp-resource" data-kind="resource-blob">
      <div>
        <span className="tag">blob</span> <span className="mono">{block.uri}</span>
        <span className="muted">
          {' '}
          · {block.mimeType ?? 'binary'} · {formatBytes(block.bytes)}
        </span>
      </div>
      <BlobPreview block={block} type={type} />
      <div className="insp-row">
        <a className="button-link" href={block.src} download={block.fileName}>
          Download {block.fileName}
        </a>
        <button type="button" onClick={() => void copyWithNotice(block.src.slice(block.src.indexOf(',') + 1), `the base64 of ${block.uri}`)}>
          Copy base64
        </button>
      </div>
    </div>
  );
}

/** pdf.js is large: it is loaded the first time a PDF is shown. */
const PdfPreview = lazy(() => import('./PdfPreview'));

/*
 * Inline previews use data: URLs, which the renderer's CSP allows for images and media (img-src, media-src). A PDF is
 * drawn by pdf.js (PdfPreview), not by Chromium's PDF viewer: that is a plugin frame, which the CSP (object-src
 * 'none', frames from 'self' only) and the app's sandbox refuse on purpose.
 */
function BlobPreview({ block, type }: { block: Extract<ContentView, { kind: 'resource-blob' }>; type: string }) {
  if (block.isImage) return <DataImage className="insp-blob-preview" src={block.src} alt={`Preview of ${block.uri}`} />;
  if (type.startsWith('audio/')) return <DataAudio src={block.src} label={`Audio ${block.uri}`} />;
  if (type.startsWith('video/')) {
    return (
      <video className="insp-blob-media" controls preload="metadata" src={block.src} aria-label={`Video ${block.uri}`}>
        <track kind="captions" />
      </video>
    );
  }
  if (type === 'application/pdf') {
    return (
      <Suspense
        fallback={
          <p className="muted insp-note" aria-busy="true">
            <span className="spinner" aria-hidden="true" /> Opening the PDF…
          </p>
        }
      >
        <PdfPreview src={block.src} label={block.uri} />
      </Suspense>
    );
  }
  return <p className="muted insp-note">No preview for {block.mimeType ?? 'this binary type'}; Download saves the file.</p>;
}

/** Messages of a prompt or a sampling request: role, then the content. */
export function Messages({ messages }: { messages: readonly MessageView[] }) {
  if (messages.length === 0) return <p className="muted insp-empty">No messages.</p>;
  return (
    <ol className="insp-messages">
      {messages.map((message, index) => (
        <li key={index} className="insp-message" data-role={message.role}>
          <span className="insp-role">{message.role}</span>
          <ContentBlocks blocks={message.content} />
        </li>
      ))}
    </ol>
  );
}

/** A tool result: an error banner for isError, the content, and structured content with its schema check. */
export function ToolResult({ view }: { view: ToolResultView }) {
  return (
    <div className={`insp-result${view.isError ? ' insp-result-error' : ''}`} data-testid="tool-result">
      {view.isError && (
        <p className="insp-error-label" role="alert">
          The tool reported an error (isError)
        </p>
      )}
      <ContentBlocks blocks={view.content} />
      {view.structured && (
        <section className="insp-structured" aria-label="Structured content">
          <div className="insp-row">
            <h4>Structured content</h4>
            {view.structured.validity === 'valid' && <span className="badge badge-ready">valid against the output schema</span>}
            {view.structured.validity === 'invalid' && <span className="badge badge-error">does not match the output schema</span>}
            {view.structured.validity === 'unchecked' && <span className="badge badge-disconnected">no output schema</span>}
          </div>
          {view.structured.errors.length > 0 && (
            <ul className="insp-errors">
              {view.structured.errors.map((error, index) => (
                <li key={index}>
                  {describePath(error.path, 'structured content')}: {error.message}
                </li>
              ))}
            </ul>
          )}
          {view.structured.json && <pre className="insp-pre">{view.structured.json}</pre>}
        </section>
      )}
    </div>
  );
}
