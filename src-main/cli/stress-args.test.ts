import { describe, expect, it } from 'vitest';
import { parseDuration, parseStressArgs, UsageError } from './stress-args';

const base = ['--config', 'mcp.json', '--server', 'fixture'];
const parse = (...flags: string[]) => {
  const command = parseStressArgs([...base, ...flags]);
  if (command.kind !== 'stress') throw new Error('expected a stress command');
  return command.options;
};

describe('npm run stress flags', () => {
  it('reads the brief example into settings', () => {
    const options = parse('--tool', 'echo', '--args', '{"text":"hi"}', '--concurrency', '200', '--duration', '30s', '--cancel-share', '0.1', '--cancel-after', '50ms', '--sessions', '4', '--json', '--max-error-rate', '0.01', '--max-p99', '200ms');
    expect(options.settings).toEqual({
      server: 'fixture',
      target: { kind: 'tool', name: 'echo', arguments: { text: 'hi' } },
      load: { concurrency: 200, durationMs: 30_000, cancelShare: 0.1, cancelAfterMs: 50, sessions: 4, callTimeoutMs: 30_000 },
    });
    expect(options).toMatchObject({ json: true, maxErrorRate: 0.01, maxP99Ms: 200 });
  });

  it('takes a call count, a rate, a resource or a prompt, and lasts 10 s when told neither duration nor count', () => {
    expect(parse('--resource', 'fixture://hello', '--calls', '500', '--rate', '250').settings).toMatchObject({ target: { kind: 'resource', uri: 'fixture://hello' }, load: { calls: 500, rate: 250 } });
    expect(parse('--prompt', 'greet', '--args', '{"name":"Ada"}').settings).toMatchObject({ target: { kind: 'prompt', name: 'greet', arguments: { name: 'Ada' } }, load: { durationMs: 10_000 } });
    expect(parse('--tool', 'echo', '--calls', '5').settings.load.durationMs).toBeUndefined();
  });

  it('parses durations with their unit', () => {
    expect(parseDuration('--duration', '1.5s')).toBe(1500);
    expect(parseDuration('--duration', '2m')).toBe(120_000);
    expect(() => parseDuration('--duration', '30')).toThrow('--duration: "30" is not a duration; write it as 500ms, 30s, 2m or 1h');
  });

  it.each([
    [['--tool', 'echo', '--concurrency', '2000'], '--concurrency: concurrency is at most 1000'],
    [['--tool', 'echo', '--concurrency', 'many'], '--concurrency: "many" is not a whole number'],
    [['--tool', 'echo', '--cancel-share', '1.5'], '--cancel-share: the cancel share is between 0 and 1'],
    [['--tool', 'echo', '--cancel-after', '5ms'], '--cancel-after goes with --cancel-share'],
    [['--tool', 'echo', '--sessions', '20', '--concurrency', '10'], '--sessions: use no more sessions than calls in flight'],
    [['--tool', 'echo', '--args', '{text'], '--args: not valid JSON'],
    [['--tool', 'echo', '--args', '[1]'], '--args must be a JSON object'],
    [['--prompt', 'greet', '--args', '{"n":1}'], '--args n: a prompt argument is a string'],
    [['--tool', 'echo', '--resource', 'x://y'], 'give one of --tool, --resource, not several'],
    [[], 'say what to call: --tool NAME, --resource URI or --prompt NAME'],
    [['--tool', 'echo', '--max-error-rate', '5'], '--max-error-rate: 5 is not a share between 0 and 1'],
    [['--tool', 'echo', '--rate', '0'], '--rate: a rate is above 0 calls/s'],
    [['--tool', 'echo', '--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j, saying why', (flags, message) => {
    expect(() => parse(...flags)).toThrow(UsageError);
    expect(() => parse(...flags)).toThrow(message);
  });

  it('needs a config and a server', () => {
    expect(() => parseStressArgs(['--server', 'x', '--tool', 'echo'])).toThrow('--config FILE is required');
    expect(() => parseStressArgs(['--config', 'x', '--tool', 'echo'])).toThrow('--server NAME is required');
    expect(parseStressArgs(['--help'])).toEqual({ kind: 'help' });
  });
});
