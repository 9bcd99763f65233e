import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ratio, round } from './stats';

/** One cell: a figure, a short text (like "98/100"), a failure with its error, or nothing (not measured). */
export type Cell = number | string | { failed: string } | undefined;

/** One line of the table. The Patchbay/peer ratio is derived when both cells are numbers. */
export interface Row {
  section: string;
  metric: string;
  /** Unit with ↓ (lower is better) or ↑ (higher is better). */
  unit: string;
  /** Direct stdio to the fixture. */
  direct?: Cell;
  /** Direct to the fixture's own HTTP server, over the transport the row names (Streamable HTTP or HTTP+SSE). */
  directHttp?: Cell;
  ours?: Cell;
  peer?: Cell;
  /** false for figures too noisy for a meaningful ratio. */
  compare?: false;
}

/** A row as written to JSON: the same figures as printed, rounded the same way, plus the ratio. */
export interface RowJson extends Row {
  ratio?: number;
}

const HEADERS = ['Measurement', 'Unit', 'direct stdio', 'direct HTTP', 'Patchbay', 'supergateway', 'Patchbay/peer'];

/** The ratio of our figure to the peer's, when both are numbers. */
export function rowRatio(row: Row): number | undefined {
  if (row.compare === false || typeof row.ours !== 'number' || typeof row.peer !== 'number') return undefined;
  const value = ratio(row.ours, row.peer);
  return Number.isFinite(value) ? value : undefined;
}

/** Rounds the numeric cells, so the JSON carries exactly the printed figures. */
export function toJsonRows(rows: readonly Row[]): RowJson[] {
  const clean = (cell: Cell): Cell => (typeof cell === 'number' ? (Number.isFinite(cell) ? round(cell) : undefined) : cell);
  return rows.map((row) => {
    const value = rowRatio(row);
    return { ...row, direct: clean(row.direct), directHttp: clean(row.directHttp), ours: clean(row.ours), peer: clean(row.peer), ...(value === undefined ? {} : { ratio: round(value) }) };
  });
}

/**
 * Renders the rows as one fixed-width table, sections separated by a heading line. Failed cells show
 * "FAILED [n]" and the errors are listed as numbered footnotes under the table, followed by the notes.
 */
export function renderTable(rows: readonly Row[], notes: readonly string[]): string {
  const footnotes: string[] = [];
  const text = (cell: Cell): string => {
    if (cell === undefined) return '';
    if (typeof cell === 'number') return Number.isFinite(cell) ? String(round(cell)) : '–';
    if (typeof cell === 'string') return cell;
    footnotes.push(cell.failed);
    return `FAILED [${footnotes.length}]`;
  };
  const lines: Array<string[] | string> = [];
  let section = '';
  for (const row of rows) {
    if (row.section !== section) {
      section = row.section;
      lines.push(section);
    }
    const value = rowRatio(row);
    lines.push([`  ${row.metric}`, row.unit, text(row.direct), text(row.directHttp), text(row.ours), text(row.peer), value === undefined ? '' : `${round(value)}×`]);
  }
  const cells = lines.filter((line): line is string[] => Array.isArray(line));
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...cells.map((line) => line[column]!.length)));
  const format = (line: string[]): string =>
    line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  const rule = '-'.repeat(widths.reduce((total, width) => total + width, 0) + 2 * (widths.length - 1));
  const out = [format(HEADERS), rule];
  for (const line of lines) out.push(typeof line === 'string' ? line : format(line));
  out.push(rule);
  footnotes.forEach((error, index) => out.push(`[${index + 1}] ${error}`));
  for (const note of notes) out.push(`note: ${note}`);
  return out.join('\n');
}

/** Writes the JSON report, creating its directory. */
export function writeJson(path: string, report: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`);
}
