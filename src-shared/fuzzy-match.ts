/**
 * A small fuzzy matcher for short names (the command palette's servers, tools, resources, prompts and actions), in
 * the manner of editors' "go to anything": the query's characters must appear in the text in order, and a match
 * scores higher the more of it falls on word starts (`get_weather`, `getWeather`, `fixture://hello`), runs of
 * consecutive characters and the start of the text. Pure: no DOM, no Node.
 */

/** A match: higher scores are better; `indices` are the text's matched positions, ascending (for highlighting). */
export interface FuzzyMatch {
  score: number;
  indices: number[];
}

// Weights in the manner of fzf's: a match is worth 16, a word start adds 8 (twice that for the query's first
// character), a character right after the previous match adds at least 4 and keeps the bonus its run started with,
// and a gap costs 3 plus 1 per skipped character.
const MATCH = 16;
const WORD_START = 8;
const FIRST_CHAR_MULTIPLIER = 2;
const CONSECUTIVE = 4;
const GAP_START = 3;
const GAP_EXTENSION = 1;
/** Lost per character before the first matched one (up to LEADING_CAP characters): earlier is a little better. */
const LEADING = 0.5;
const LEADING_CAP = 20;
/** The query is the whole text, or its start. */
const WHOLE = 40;
const PREFIX = 16;
/** Longer texts are matched on their start only: names are short, and the work grows with the length. */
const MAX_TEXT = 256;

function isWordStart(text: string, index: number): boolean {
  if (index === 0) return true;
  const before = text[index - 1]!;
  const here = text[index]!;
  if (!/[\p{L}\p{N}]/u.test(before)) return true;
  return /\p{Ll}/u.test(before) && /\p{Lu}/u.test(here);
}

/**
 * How well `query` matches `text` fuzzily (case-insensitive), or undefined when its characters do not all appear in
 * order. Whitespace in the query is ignored; an empty query matches everything with score 0. The best placement of
 * the characters is found (not just the first), so `gw` prefers `get_weather`'s word starts.
 */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | undefined {
  const needle = [...query.replace(/\s+/g, '').toLowerCase()];
  if (needle.length === 0) return { score: 0, indices: [] };
  const original = text.slice(0, MAX_TEXT);
  const hay = original.toLowerCase();
  // toLowerCase can change the length of a few characters; fall back to the original positions' case then.
  const lower = hay.length === original.length ? hay : original;
  const m = needle.length;
  const n = lower.length;
  if (m > n) return undefined;

  // best[i][j]: the best score with needle[i] matched at text position j (-Infinity where it cannot be); run[i][j]
  // the bonus of the run of consecutive matches it ends; from[i][j] where needle[i - 1] was matched.
  const best: Float64Array[] = [];
  const run: Float64Array[] = [];
  const from: Int32Array[] = [];
  const wordStart = new Float64Array(n);
  for (let j = 0; j < n; j += 1) wordStart[j] = isWordStart(original, j) ? WORD_START : 0;
  for (let i = 0; i < m; i += 1) {
    const row = new Float64Array(n).fill(-Infinity);
    const runRow = new Float64Array(n);
    const back = new Int32Array(n).fill(-1);
    const char = needle[i]!;
    if (i === 0) {
      for (let j = 0; j < n; j += 1) {
        if (lower[j] !== char) continue;
        row[j] = MATCH + FIRST_CHAR_MULTIPLIER * wordStart[j]! - LEADING * Math.min(j, LEADING_CAP);
        runRow[j] = wordStart[j]!;
      }
    } else {
      const previous = best[i - 1]!;
      const previousRun = run[i - 1]!;
      // The best previous match at k < j - 1, kept as (score + GAP_EXTENSION * k) so the gap's length is charged at j.
      let runningBest = -Infinity;
      let runningFrom = -1;
      for (let j = 1; j < n; j += 1) {
        if (j >= 2 && previous[j - 2]! + GAP_EXTENSION * (j - 2) > runningBest) {
          runningBest = previous[j - 2]! + GAP_EXTENSION * (j - 2);
          runningFrom = j - 2;
        }
        if (lower[j] !== char) continue;
        const runBonus = Math.max(previousRun[j - 1]!, wordStart[j]!, CONSECUTIVE);
        const adjacent = previous[j - 1]! + MATCH + runBonus;
        const gapped = runningBest - GAP_EXTENSION * (j - 1) - (GAP_START - GAP_EXTENSION) + MATCH + wordStart[j]!;
        if (adjacent === -Infinity && gapped === -Infinity) continue;
        if (adjacent >= gapped) {
          row[j] = adjacent;
          runRow[j] = runBonus;
          back[j] = j - 1;
        } else {
          row[j] = gapped;
          runRow[j] = wordStart[j]!;
          back[j] = runningFrom;
        }
      }
    }
    best.push(row);
    run.push(runRow);
    from.push(back);
  }

  const last = best[m - 1]!;
  let end = -1;
  for (let j = 0; j < n; j += 1) if (last[j]! > -Infinity && (end === -1 || last[j]! > last[end]!)) end = j;
  if (end === -1) return undefined;
  const indices: number[] = new Array<number>(m);
  for (let i = m - 1, j = end; i >= 0; i -= 1) {
    indices[i] = j;
    j = from[i]![j]!;
  }
  let score = last[end]!;
  const contiguousFromStart = indices.every((position, index) => position === index);
  if (contiguousFromStart) score += m === text.length ? WHOLE : PREFIX;
  return { score, indices };
}

/**
 * How well `query` appears as a whole in a longer text (a description), case-insensitive: a plain substring, scored
 * higher at a word start. No scattered characters: in a sentence they would match almost anything.
 */
export function substringMatch(query: string, text: string): FuzzyMatch | undefined {
  const needle = query.trim().toLowerCase();
  if (needle === '') return { score: 0, indices: [] };
  const hay = text.toLowerCase();
  let found = -1;
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) {
    if (found === -1) found = at;
    if (isWordStart(text, at)) {
      found = at;
      break;
    }
  }
  if (found === -1) return undefined;
  const score = needle.length * (MATCH + CONSECUTIVE) + (isWordStart(text, found) ? WORD_START : 0);
  return { score, indices: Array.from({ length: needle.length }, (_, offset) => found + offset) };
}
