// Preloaded into supergateway (node --import) by bench/peer-target.ts. supergateway binds its port on every
// interface and has no flag to choose one; the bench must listen on 127.0.0.1 only, so a listen() given a port
// and no host is pointed at the loopback interface. Nothing else about the peer changes.
import net from 'node:net';

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  const isPort = typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first));
  if (isPort && typeof second !== 'string') {
    args.splice(1, 0, LOOPBACK);
  } else if (first && typeof first === 'object' && !('path' in first) && first.host === undefined && !(first instanceof net.Server)) {
    args[0] = { ...first, host: LOOPBACK };
  }
  return listen.apply(this, args);
};
