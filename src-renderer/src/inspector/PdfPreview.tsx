import { useEffect, useRef, useState, type RefObject } from 'react';
import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
// The worker is bundled as a file of the app's own origin, which the CSP's worker-src 'self' allows.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { errorText } from '../error-text';
import { parseDataUrl } from './result-model';

GlobalWorkerOptions.workerSrc = workerUrl;

/** CSS pixels per PDF point at which a page is drawn (before the screen's device pixel ratio). */
const SCALE = 1.25;

/*
 * A PDF drawn with pdf.js onto a canvas, a page at a time, with Previous/Next. Chromium's own PDF viewer is a plugin
 * (object-src) that the CSP and Electron's sandbox keep out, and headless Chromium has none; pdf.js needs only a
 * worker from the app's origin. The document is parsed from the bytes already in memory (nothing is fetched), with
 * WebAssembly off (the CSP does not allow compiling it), so an image codec that needs it just leaves that image out.
 */
/** `src` is the resource's data: URL (base64). */
export default function PdfPreview({ src, label }: { src: string; label: string }) {
  const [document, setDocument] = useState<PDFDocumentProxy>();
  const [pageNumber, setPageNumber] = useState(1);
  const [error, setError] = useState<string>();
  const canvas = useRef<HTMLCanvasElement>(null);
  const previous = useRef<HTMLButtonElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  /** The button to focus once the page turned (the pressed one is disabled by then). */
  const handOver = useRef<RefObject<HTMLButtonElement | null>>(undefined);

  useEffect(() => {
    handOver.current?.current?.focus();
    handOver.current = undefined;
  }, [pageNumber]);

  useEffect(() => {
    const parsed = parseDataUrl(src);
    if (!parsed) {
      setError('it is not base64 data');
      return;
    }
    // pdf.js hands the buffer to its worker (detaching it); these bytes are decoded for it alone.
    const task = getDocument({ data: parsed.bytes, useWasm: false });
    let current = true;
    task.promise.then(
      (loaded) => {
        if (current) setDocument(loaded);
      },
      (failure: unknown) => {
        if (current) setError(errorText(failure));
      },
    );
    return () => {
      current = false;
      void task.destroy();
    };
  }, [src]);

  useEffect(() => {
    if (!document) return;
    let current = true;
    let rendering: RenderTask | undefined;
    void (async () => {
      const page = await document.getPage(pageNumber);
      const element = canvas.current;
      if (!current || !element) return;
      const viewport = page.getViewport({ scale: SCALE });
      const ratio = window.devicePixelRatio || 1;
      element.width = Math.floor(viewport.width * ratio);
      element.height = Math.floor(viewport.height * ratio);
      element.style.width = `${Math.floor(viewport.width)}px`;
      element.style.aspectRatio = `${viewport.width} / ${viewport.height}`;
      rendering = page.render({ canvas: element, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
      await rendering.promise;
    })().catch((failure: unknown) => {
      // A render cancelled by a page change or unmount is not an error.
      if (current && !(failure instanceof Error && failure.name === 'RenderingCancelledException')) setError(errorText(failure));
    });
    return () => {
      current = false;
      rendering?.cancel();
    };
  }, [document, pageNumber]);

  if (error) return <p className="error-text insp-note">This PDF cannot be shown here ({error}); Download saves the file.</p>;
  if (!document) {
    return (
      <p className="muted insp-note" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> Opening the PDF…
      </p>
    );
  }
  const pages = document.numPages;
  // A button that disables itself under the keyboard focus would drop it to the page: hand it to the other one.
  const turnTo = (target: number) => {
    setPageNumber(target);
    handOver.current = target <= 1 ? next : target >= pages ? previous : undefined;
  };
  return (
    <div className="insp-pdf" role="group" aria-label={`PDF ${label}`}>
      <div className="insp-row insp-pdf-nav">
        <button ref={previous} type="button" disabled={pageNumber <= 1} onClick={() => turnTo(pageNumber - 1)}>
          ‹ Previous page
        </button>
        <span aria-live="polite">
          Page {pageNumber} of {pages}
        </span>
        <button ref={next} type="button" disabled={pageNumber >= pages} onClick={() => turnTo(pageNumber + 1)}>
          Next page ›
        </button>
      </div>
      <canvas ref={canvas} className="insp-pdf-page" role="img" aria-label={`Page ${pageNumber} of ${pages} of ${label}`} />
    </div>
  );
}
