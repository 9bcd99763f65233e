/** Rows rendered above and below the viewport, so a small scroll shows rows already there. */
export const OVERSCAN_ROWS = 8;

/** The rows to render: [start, end). */
export interface RowRange {
  start: number;
  end: number;
}

/**
 * Which rows of a fixed-height list intersect the viewport (plus overscan). O(1), whatever the row count.
 */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = OVERSCAN_ROWS): RowRange {
  if (rowCount === 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  return { start: Math.max(0, Math.min(rowCount, first) - overscan), end: Math.min(rowCount, last + overscan) };
}

/**
 * The scrollTop that brings a row fully into view, moving as little as possible; the current one if it is in view.
 */
export function scrollTopToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}
