// Preloaded into supergateway (node --expose-gc --import) by bench/peer-target.ts, so the peer's memory is read
// exactly as the proxy host reads Patchbay's (bench/proxy-host.ts): on SIGUSR2 it runs full GCs, then writes its
// process.memoryUsage() as one marked JSON line on stderr. It does nothing until signalled.
const MARK = '@@bench-memory ';

process.on('SIGUSR2', () => {
  const passes = typeof globalThis.gc === 'function' ? 3 : 0;
  const sample = (left) => {
    if (left > 0) {
      globalThis.gc();
      setImmediate(() => sample(left - 1));
      return;
    }
    const usage = process.memoryUsage();
    const reading = { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers, afterGc: passes > 0 };
    process.stderr.write(`\n${MARK}${JSON.stringify(reading)}\n`);
  };
  sample(passes);
});
