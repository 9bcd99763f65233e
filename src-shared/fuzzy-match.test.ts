import { describe, expect, it } from 'vitest';
import { fuzzyMatch, substringMatch } from './fuzzy-match';

const score = (query: string, text: string) => fuzzyMatch(query, text)?.score ?? -Infinity;

describe('fuzzyMatch', () => {
  it('matches the query characters in order, case-insensitively, and nothing else', () => {
    expect(fuzzyMatch('ech', 'echo')?.indices).toEqual([0, 1, 2]);
    expect(fuzzyMatch('ECHO', 'echo')).toBeDefined();
    expect(fuzzyMatch('eoh', 'echo')).toBeUndefined();
    expect(fuzzyMatch('echoes', 'echo')).toBeUndefined();
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, indices: [] });
  });

  it('finds the best placement, preferring word starts over the first occurrence', () => {
    // "gw": the g and w that start words, not the first g of "logging".
    expect(fuzzyMatch('gw', 'logging_get_weather')?.indices).toEqual([8, 12]);
    expect(fuzzyMatch('gw', 'getWeather')?.indices).toEqual([0, 3]);
    expect(fuzzyMatch('hello', 'fixture://hello')?.indices).toEqual([10, 11, 12, 13, 14]);
  });

  it('ranks the whole name over its prefix, a prefix over a word start, a word start over a scattered match', () => {
    expect(score('echo', 'echo')).toBeGreaterThan(score('echo', 'echo-all'));
    expect(score('echo', 'echo-all')).toBeGreaterThan(score('echo', 'say-echo'));
    expect(score('echo', 'say-echo')).toBeGreaterThan(score('echo', 'e-c-h-o'));
    expect(score('ec', 'e-c-h-o')).toBeGreaterThan(score('ec', 'alphabetic'));
    // Consecutive characters beat the same characters spread out.
    expect(score('pid', 'pid')).toBeGreaterThan(score('pid', 'prompt-id'));
    expect(score('add', 'Add server')).toBeGreaterThan(score('add', 'Load more'));
  });

  it('ignores whitespace in the query and the case of the text', () => {
    expect(fuzzyMatch('add server', 'Add server')).toBeDefined();
    expect(fuzzyMatch('ADD', 'Add server')?.indices).toEqual([0, 1, 2]);
  });

  it('stays bounded on long texts', () => {
    const long = `${'x'.repeat(10_000)}needle`;
    expect(fuzzyMatch('needle', long)).toBeUndefined();
    expect(fuzzyMatch('xx', long)?.indices).toEqual([0, 1]);
  });
});

describe('substringMatch', () => {
  it('finds the query as a whole, preferring a word start', () => {
    expect(substringMatch('greet', 'Greets someone')?.indices).toEqual([0, 1, 2, 3, 4]);
    expect(substringMatch('one', 'Greets someone, and one more')?.indices).toEqual([20, 21, 22]);
    expect(substringMatch('one', 'someone')?.indices).toEqual([4, 5, 6]);
    expect(substringMatch('gs', 'Greets someone')).toBeUndefined();
    expect(score('one', 'one')).toBeGreaterThan(substringMatch('one', 'someone')!.score);
  });
});
