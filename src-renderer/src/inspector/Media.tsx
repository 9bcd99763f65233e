import { useEffect, useRef, useState } from 'react';
import { formatDuration } from './time-format';
import { parseDataUrl } from './result-model';

/*
 * Images and audio from base64 content. They are shown with data: URLs; where a Content-Security-Policy without
 * data: in img-src/media-src refuses those, the same bytes are decoded in script instead (createImageBitmap onto a
 * canvas, Web Audio for sound), which no fetch directive governs.
 */

/** An image from a data: URL, drawn on a canvas if the <img> cannot load it. */
export function DataImage({ src, alt, className }: { src: string; alt: string; className?: string }) {
  const [refused, setRefused] = useState(false);
  if (!refused) return <img className={className} src={src} alt={alt} onError={() => setRefused(true)} />;
  return <CanvasImage src={src} alt={alt} className={className} />;
}

function CanvasImage({ src, alt, className }: { src: string; alt: string; className?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const parsed = parseDataUrl(src);
    if (!parsed) {
      setFailed(true);
      return;
    }
    let current = true;
    createImageBitmap(new Blob([parsed.bytes], { type: parsed.mimeType }))
      .then((bitmap) => {
        const element = canvas.current;
        if (!current || !element) return;
        element.width = bitmap.width;
        element.height = bitmap.height;
        element.getContext('2d')?.drawImage(bitmap, 0, 0);
        bitmap.close();
      })
      .catch(() => {
        if (current) setFailed(true);
      });
    return () => {
      current = false;
    };
  }, [src]);
  if (failed) return <span className="muted">This image cannot be shown here (use Download).</span>;
  return <canvas ref={canvas} className={className} role="img" aria-label={alt} />;
}

/** Audio from a data: URL: the <audio> element, or Play/Stop through Web Audio if it cannot load. */
export function DataAudio({ src, label }: { src: string; label: string }) {
  const [refused, setRefused] = useState(false);
  if (!refused) return <audio controls src={src} aria-label={label} onError={() => setRefused(true)} />;
  return <WebAudioPlayer src={src} label={label} />;
}

function WebAudioPlayer({ src, label }: { src: string; label: string }) {
  const context = useRef<AudioContext>(undefined);
  const source = useRef<AudioBufferSourceNode>(undefined);
  const [playing, setPlaying] = useState(false);
  const [duration, setDuration] = useState<number>();
  const [error, setError] = useState<string>();

  useEffect(
    () => () => {
      source.current?.stop();
      void context.current?.close();
    },
    [],
  );

  const play = async () => {
    const parsed = parseDataUrl(src);
    if (!parsed) return setError('Not base64 audio');
    try {
      context.current ??= new AudioContext();
      const buffer = await context.current.decodeAudioData(parsed.bytes.slice().buffer);
      setDuration(buffer.duration);
      const node = context.current.createBufferSource();
      node.buffer = buffer;
      node.connect(context.current.destination);
      node.onended = () => setPlaying(false);
      node.start();
      source.current = node;
      setPlaying(true);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const stop = () => {
    source.current?.stop();
    setPlaying(false);
  };

  return (
    <span className="insp-audio" role="group" aria-label={label}>
      <button type="button" onClick={() => (playing ? stop() : void play())}>
        {playing ? '■ Stop' : '▶ Play'}
      </button>
      {duration !== undefined && <span className="muted">{formatDuration(duration * 1000)}</span>}
      {error && <span className="error-text">{error}</span>}
    </span>
  );
}
