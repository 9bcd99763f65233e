import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { generateToken } from '../services/proxy/proxy-server';
import { parseWebArgs } from './web-args';
import { DEFAULT_HOST, DEFAULT_PORT, parseServeArgs, serveHelp, SERVE_USAGE, UsageError, type ServeCommand } from './serve-args';

function usageErrorOf(argv: string[], env: Record<string, string | undefined> = {}): string {
  try {
    parseServeArgs(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseServeArgs', () => {
  it('needs only --config; the rest has defaults and the proxy generates the token', () => {
    expect(parseServeArgs(['--config', 'mcp.json'])).toEqual<ServeCommand>({
      kind: 'serve',
      options: { configPath: 'mcp.json', host: DEFAULT_HOST, port: DEFAULT_PORT, token: undefined },
    });
    expect([DEFAULT_HOST, DEFAULT_PORT]).toEqual(['127.0.0.1', 6277]);
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    expect(parseServeArgs(['--config=c.json', '--port', '0', '--host=localhost', '--token', 'secret-1'])).toEqual<ServeCommand>({
      kind: 'serve',
      options: { configPath: 'c.json', host: 'localhost', port: 0, token: 'secret-1' },
    });
  });

  it('takes the token from PATCHBAY_TOKEN when --token is absent, and --token over it', () => {
    expect(parseServeArgs(['--config', 'c.json'], { PATCHBAY_TOKEN: 'from-env' })).toMatchObject({ options: { token: 'from-env' } });
    expect(parseServeArgs(['--config', 'c.json', '--token', 'from-flag'], { PATCHBAY_TOKEN: 'from-env' })).toMatchObject({ options: { token: 'from-flag' } });
    expect(parseServeArgs(['--config', 'c.json'], { PATCHBAY_TOKEN: '' })).toMatchObject({ options: { token: undefined } });
  });

  it('turns authentication off with --no-auth, even when PATCHBAY_TOKEN is set', () => {
    expect(parseServeArgs(['--config', 'c.json', '--no-auth'], { PATCHBAY_TOKEN: 'from-env' })).toMatchObject({ options: { token: null } });
  });

  it('leaves refusing --no-auth on a public host to the proxy', () => {
    expect(parseServeArgs(['--config', 'c.json', '--no-auth', '--host', '0.0.0.0'])).toMatchObject({ options: { host: '0.0.0.0', token: null } });
  });

  it('accepts a bracketed IPv6 host', () => {
    expect(parseServeArgs(['--config', 'c.json', '--host', '[::1]'])).toMatchObject({ options: { host: '::1' } });
  });

  it('answers --help and -h before checking anything else', () => {
    expect(parseServeArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseServeArgs(['-h', '--port', 'nope'])).toEqual({ kind: 'help' });
  });

  it.each<[string[], string]>([
    [[], '--config FILE is required'],
    [['--config', ''], '--config needs a file path'],
    [['--config'], '--config needs a value'],
    [['--config', '--port', '1'], '--config needs a value; write --config=--port if "--port" is meant as one'],
    [['--config', 'c.json', '--port', 'abc'], '--port must be a whole number from 0 to 65535 (0 picks a free port), not "abc"'],
    [['--config', 'c.json', '--port', '65536'], '--port must be a whole number from 0 to 65535 (0 picks a free port), not "65536"'],
    [['--config', 'c.json', '--port', '-1'], '--port needs a value; write --port=-1 if "-1" is meant as one'],
    [['--config', 'c.json', '--port=-1'], '--port must be a whole number from 0 to 65535 (0 picks a free port), not "-1"'],
    [['--config', 'c.json', '--port', '1.5'], '--port must be a whole number from 0 to 65535 (0 picks a free port), not "1.5"'],
    [['--config', 'c.json', '--host', ' '], '--host needs an address, for example 127.0.0.1'],
    [['--config', 'c.json', '--token', ''], '--token must not be empty'],
    [['--config', 'c.json', '--token', 'has space'], '--token must be printable ASCII without spaces'],
    [['--config', 'c.json', '--no-auth', '--token', 't'], '--no-auth and --token cannot be used together'],
    [['--config', 'c.json', '--verbose'], 'unknown option --verbose'],
    [['--config', 'c.json', '-x'], 'unknown option -x'],
    [['--config', 'c.json', 'extra'], 'unexpected argument "extra"'],
    [['--config', 'c.json', '--no-auth=yes'], '--no-auth does not take a value'],
    [['--config', 'c.json', '--', '--port'], 'unexpected argument "--port"'],
  ])('rejects %j', (argv, message) => {
    expect(usageErrorOf(argv)).toBe(message);
  });

  it('checks a token from the environment too', () => {
    expect(usageErrorOf(['--config', 'c.json'], { PATCHBAY_TOKEN: 'line\nbreak' })).toBe('PATCHBAY_TOKEN must be printable ASCII without spaces');
  });

});

describe('serveHelp', () => {
  it('contains the usage line and every flag', () => {
    const help = serveHelp();
    expect(help).toContain(SERVE_USAGE);
    for (const flag of ['--config', '--port', '--host', '--token', '--no-auth', '--help']) expect(help).toContain(flag);
  });
});

describe('--idle-timeout and --data-dir', () => {
  it('reads seconds (fractions too) as milliseconds, 0 as never, and the data folder as an absolute path', () => {
    expect(parseServeArgs(['--config', 'c.json', '--idle-timeout', '300'])).toMatchObject({ options: { idleTimeoutMs: 300_000 } });
    expect(parseServeArgs(['--config', 'c.json', '--idle-timeout=0.5'])).toMatchObject({ options: { idleTimeoutMs: 500 } });
    expect(parseServeArgs(['--config', 'c.json', '--idle-timeout', '0'])).toMatchObject({ options: { idleTimeoutMs: 0 } });
    expect(parseServeArgs(['--config', 'c.json'])).not.toHaveProperty('options.idleTimeoutMs');
    expect(parseServeArgs(['--config', 'c.json', '--data-dir', 'some/folder'])).toMatchObject({ options: { dataDir: resolve('some/folder') } });
  });

  it('refuses what is not a number of seconds, saying what was given', () => {
    for (const value of ['-1', 'abc', '5s', '1e3', '', ' ']) {
      expect(usageErrorOf(['--config', 'c.json', `--idle-timeout=${value}`])).toBe(
        `--idle-timeout must be a number of seconds (for example 300), or 0 to never close idle sessions; not "${value}"`,
      );
    }
    expect(usageErrorOf(['--config', 'c.json', '--idle-timeout=0.0001'])).toBe('--idle-timeout must be at least 0.001 seconds, or 0 to never close idle sessions; not "0.0001"');
    expect(usageErrorOf(['--config', 'c.json', '--idle-timeout'])).toBe('--idle-timeout needs a value');
    expect(usageErrorOf(['--config', 'c.json', '--data-dir='])).toBe('--data-dir needs a folder path');
    expect(usageErrorOf(['--config', 'c.json', '--record='])).toBe('--record needs a file path, for example session.mcp-recording.json');
    expect(parseServeArgs(['--config', 'c.json', '--record', 'run.json'])).toMatchObject({ options: { recordPath: resolve('run.json') } });
  });

  it('are in the help text', () => {
    expect(serveHelp()).toContain('--idle-timeout SECONDS  close a session after this long without a message; 0 never (default 1800, 30 minutes)');
    expect(serveHelp()).toContain('--data-dir DIR');
  });
});

describe('parseWebArgs', () => {
  it('takes --idle-timeout like serve does', () => {
    expect(parseWebArgs(['--idle-timeout', '90'], {})).toMatchObject({ idleTimeoutMs: 90_000 });
    expect(parseWebArgs([], {})).not.toHaveProperty('idleTimeoutMs');
    expect(() => parseWebArgs(['--idle-timeout', 'soon'], {})).toThrow('--idle-timeout must be a number of seconds (for example 300), or 0 to never close idle sessions; not "soon"');
  });

  it('takes back any token the proxy generates after a separate --token (none reads as a flag)', () => {
    // A generated token once began with "-" one time in 64, and `--token -abc` is refused as ambiguous.
    for (let attempt = 0; attempt < 2000; attempt += 1) {
      const token = generateToken();
      expect(parseWebArgs(['--token', token], {}).token).toBe(token);
      expect(parseServeArgs(['--config', 'mcp.json', '--token', token])).toMatchObject({ options: { token } });
    }
  });
});
