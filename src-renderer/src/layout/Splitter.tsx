import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

interface SplitterProps {
  /** The accessible name, e.g. "Resize server list". */
  label: string;
  /** The id of the panel it resizes. */
  controls: string;
  /** `vertical`: a bar between side-by-side panels (drag left/right); `horizontal`: between stacked ones. */
  orientation: 'vertical' | 'horizontal';
  /** Which way the panel grows: +1 when dragging right/down makes it bigger, -1 when left/up does. */
  grows: 1 | -1;
  size: number;
  min: number;
  max: number;
  onResize(size: number): void;
  onReset(): void;
}

/** Pixels per arrow key press; with Shift, a bigger step. */
const STEP = 16;
const BIG_STEP = 64;

/**
 * A WAI-ARIA window splitter: a focusable separator whose value is the panel's size in px. Drag it with the
 * pointer, or focus it and use the arrow keys (Shift for bigger steps), Home/End for the minimum/maximum;
 * Enter or a double-click puts the default size back.
 */
export function Splitter({ label, controls, orientation, grows, size, min, max, onResize, onReset }: SplitterProps) {
  const drag = useRef<{ start: number; size: number } | undefined>(undefined);
  const coordinate = (event: PointerEvent) => (orientation === 'vertical' ? event.clientX : event.clientY);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? BIG_STEP : STEP;
    // Arrow keys move the bar, as a drag would: right/down is +1.
    const along: Record<string, number> = orientation === 'vertical' ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowDown: 1, ArrowUp: -1 };
    const move = along[event.key];
    if (move !== undefined) onResize(size + move * grows * step);
    else if (event.key === 'Home') onResize(min);
    else if (event.key === 'End') onResize(max);
    else if (event.key === 'Enter') onReset();
    else return;
    event.preventDefault();
  };

  return (
    <div
      role="separator"
      aria-label={label}
      aria-controls={controls}
      aria-orientation={orientation}
      aria-valuenow={size}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      className={`splitter splitter-${orientation}`}
      onKeyDown={onKeyDown}
      onDoubleClick={onReset}
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        event.preventDefault();
        event.currentTarget.setPointerCapture(event.pointerId);
        event.currentTarget.focus();
        drag.current = { start: coordinate(event), size };
      }}
      onPointerMove={(event) => {
        if (drag.current) onResize(drag.current.size + grows * (coordinate(event) - drag.current.start));
      }}
      onPointerUp={() => {
        drag.current = undefined;
      }}
      onPointerCancel={() => {
        drag.current = undefined;
      }}
    />
  );
}
