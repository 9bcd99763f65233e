import { describe, expect, it } from 'vitest';
import { ProxyConfigError } from '../services/proxy/proxy-server';
import { describeStartFailure } from './serve-start-failure';

const systemError = (code: string, message: string): NodeJS.ErrnoException => Object.assign(new Error(message), { code });

describe('describeStartFailure', () => {
  it('passes the proxy refusing --no-auth on a public host through, with exit code 2', () => {
    const refusal = new ProxyConfigError('refusing to run without authentication on 0.0.0.0: --no-auth is only allowed on a loopback host');
    expect(describeStartFailure(refusal, { host: '0.0.0.0', port: 6277, token: null })).toEqual({ message: refusal.message, exitCode: 2 });
  });

  it('explains a port in use', () => {
    expect(describeStartFailure(systemError('EADDRINUSE', 'listen EADDRINUSE'), { host: '127.0.0.1', port: 6277, token: undefined })).toEqual({
      message: 'cannot listen on 127.0.0.1:6277: the port is already in use; choose another --port (0 picks a free one)',
      exitCode: 1,
    });
  });

  it('brackets an IPv6 host and explains a missing address', () => {
    expect(describeStartFailure(systemError('EADDRNOTAVAIL', 'listen EADDRNOTAVAIL'), { host: '::2', port: 80, token: 't' })).toEqual({
      message: 'cannot listen on [::2]:80: this machine has no such address; check --host',
      exitCode: 1,
    });
  });

  it('keeps the message of anything else', () => {
    expect(describeStartFailure(systemError('EMFILE', 'too many open files'), { host: '127.0.0.1', port: 1, token: 't' })).toEqual({
      message: 'cannot listen on 127.0.0.1:1: too many open files',
      exitCode: 1,
    });
    expect(describeStartFailure(new Error('boom'), { host: '127.0.0.1', port: 1, token: 't' })).toEqual({ message: 'cannot start the proxy: boom', exitCode: 1 });
  });
});
