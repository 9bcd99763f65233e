import { describe, expect, it } from 'vitest';
import { errorRate } from '../../../src-shared/stress';
import { classifyAnswer, isChosenForCancel } from './load-runner';
import { readAnswer } from './lean-mcp-client';
import { StressStats } from './stress-stats';

describe('StressStats', () => {
  it('gives the percentiles of the answered calls to three significant digits, cancels left out', () => {
    const stats = new StressStats(0);
    // 1..100 ms, one call each: p50 is 50 ms, p95 95 ms, p99 99 ms.
    for (let ms = 1; ms <= 100; ms += 1) {
      stats.callStarted();
      stats.callEnded({ kind: 'ok', latencyMs: ms }, 500);
    }
    stats.callStarted();
    stats.callEnded({ kind: 'cancelled' }, 500);
    const figures = stats.figures(1000, 0, 1);
    expect(figures.latency.count).toBe(100);
    expect(figures.latency.p50).toBeCloseTo(50, 0);
    expect(figures.latency.p95).toBeCloseTo(95, 0);
    expect(figures.latency.p99).toBeCloseTo(99, 0);
    expect(figures.latency.max).toBeCloseTo(100, 0);
    expect(figures.latency.min).toBeCloseTo(1, 1);
    expect(figures.latency.mean).toBeCloseTo(50.5, 0);
    expect(figures).toMatchObject({ started: 101, ok: 100, cancelled: 1, errors: {} });
    expect(figures.meanCallsPerSecond).toBeCloseTo(101, 5);
  });

  it('counts errors by kind with the first message of each, and their latency with the rest', () => {
    const stats = new StressStats(0);
    stats.callEnded({ kind: 'error', errorKind: 'jsonrpc -32000', message: 'first', latencyMs: 5 }, 10);
    stats.callEnded({ kind: 'error', errorKind: 'jsonrpc -32000', message: 'second', latencyMs: 5 }, 10);
    stats.callEnded({ kind: 'error', errorKind: 'isError', message: 'tool', latencyMs: 5 }, 10);
    stats.callEnded({ kind: 'ok', latencyMs: 5 }, 10);
    const figures = stats.figures(20, 0, 0);
    expect(figures.errors).toEqual({ 'jsonrpc -32000': 2, isError: 1 });
    expect(figures.errorSamples).toEqual({ 'jsonrpc -32000': 'first', isError: 'tool' });
    expect(figures.latency.count).toBe(4);
    expect(errorRate(figures)).toBe(0.75);
  });

  it('keeps one point per second, empty seconds too, and a histogram from the first to the last bucket used', () => {
    const stats = new StressStats(0);
    stats.callEnded({ kind: 'ok', latencyMs: 2 }, 100);
    stats.callEnded({ kind: 'ok', latencyMs: 40 }, 200);
    stats.callEnded({ kind: 'error', errorKind: 'timeout', message: 'late', latencyMs: 900 }, 2500);
    stats.finish(2600, 0);
    expect(stats.series.map((point) => [point.atMs, point.calls, point.errors])).toEqual([
      [1000, 2, 0],
      [2000, 0, 0],
      [2600, 1, 1],
    ]);
    expect(stats.series[0]!.p99).toBeCloseTo(40, 0);
    const histogram = stats.histogram();
    expect(histogram[0]).toEqual({ upToMs: 2, count: 1 });
    expect(histogram.at(-1)).toEqual({ upToMs: 1000, count: 1 });
    expect(histogram.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(3);
    expect(histogram.find((bucket) => bucket.upToMs === 50)?.count).toBe(1);
  });

  it('reports calls/s over the last second', () => {
    const stats = new StressStats(0);
    for (let at = 0; at < 3000; at += 10) stats.callEnded({ kind: 'ok', latencyMs: 1 }, at);
    expect(stats.figures(3000, 0, 1).callsPerSecond).toBe(99);
  });
});

describe('the cancel share', () => {
  it('picks exactly the share, spread evenly', () => {
    const chosen = Array.from({ length: 1000 }, (_, index) => isChosenForCancel(index + 1, 0.1));
    expect(chosen.filter(Boolean)).toHaveLength(100);
    expect(chosen.slice(0, 20).filter(Boolean)).toHaveLength(2);
    expect(Array.from({ length: 50 }, (_, index) => isChosenForCancel(index + 1, 0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 50 }, (_, index) => isChosenForCancel(index + 1, 1)).every(Boolean)).toBe(true);
  });
});

describe('reading answers', () => {
  it('finds the answer in an event stream after the notifications before it', () => {
    const stream = 'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{}}\n\nevent: message\ndata: {"jsonrpc":"2.0","id":7,"result":{"content":[]}}\n\n';
    expect(readAnswer(200, 'text/event-stream', stream, 7)).toEqual({ kind: 'result', result: { content: [] } });
  });

  it('tells a JSON-RPC error, an isError result and a refused HTTP request apart', () => {
    const error = readAnswer(200, 'application/json', '{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"bad"}}', 1);
    expect(classifyAnswer(error, 3)).toEqual({ kind: 'error', errorKind: 'jsonrpc -32602', message: 'bad', latencyMs: 3 });
    const toolError = readAnswer(200, 'application/json', '{"jsonrpc":"2.0","id":1,"result":{"isError":true,"content":[{"type":"text","text":"no"}]}}', 1);
    expect(classifyAnswer(toolError, 3)).toEqual({ kind: 'error', errorKind: 'isError', message: 'no', latencyMs: 3 });
    const refused = readAnswer(404, 'application/json', '{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}}', 1);
    expect(refused).toEqual({ kind: 'transport', message: 'HTTP 404: Session not found' });
    expect(readAnswer(502, 'text/html', '<html>bad gateway</html>', 1)).toEqual({ kind: 'transport', message: 'HTTP 502: <html>bad gateway</html>' });
  });
});
