import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { JSON_RPC_ERRORS, jsonRpcError } from '../../../src-shared/jsonrpc';
import { directPostMessage } from './direct-post';
import { sendJsonRpcError } from './http-guards';
import { errorMessage } from './proxy-utils';
import type { SessionRegistry } from './session-registry';

/**
 * The hot path of Streamable HTTP ahead of the router: a POST of one message to a ready session at
 * `/servers/{id}/mcp`. Under load, Express's walk past every `/api` route and body-parser's read (raw-body, content
 * negotiation, an async scope per request) cost more than the relay itself, so such a POST is read here and handed
 * straight to the session's direct path (direct-post.ts).
 *
 * It is mounted after the guards (Host, Origin, token, HEAD) and the public routes, so every header those set is set
 * as before, and only before routes that cannot match this path. It changes nothing a client sees: anything it does
 * not handle whole (another path or spelling of it, a session not ready, a body not plain UTF-8 JSON with a length,
 * a message the direct path declines) goes on through the router, with the body it read handed to `jsonBody` exactly
 * as body-parser would have produced it (a body that does not parse as JSON is parsed again by body-parser itself,
 * so its error is body-parser's, word for word).
 */
export interface HotPost {
  /**
   * Takes the request, or hands it to `next` untouched. Mounted before the routes, after the guards; or, when no
   * route comes before the guards, ahead of Express itself for a request that passes them quietly (see proxy-server).
   */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  /** The JSON body parser for the routes: takes over a body the middleware already read. */
  jsonBody: RequestHandler;
}

const HOT_PATH = /^\/servers\/([^/?#]+)\/mcp(?:\?|$)/;
const PLAIN_JSON = /^application\/json(?:\s*;\s*charset\s*=\s*"?utf-8"?)?\s*$/i;

type ReadOutcome = { body: unknown } | { error: unknown };

export function hotPost(registry: SessionRegistry, maxBodyBytes: number, jsonParser: RequestHandler): HotPost {
  const alreadyRead = new WeakMap<IncomingMessage, ReadOutcome>();

  const handle = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.method !== 'POST') return next();
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId !== 'string') return next();
    const match = HOT_PATH.exec(req.url ?? '');
    if (!match) return next();
    let server: string;
    try {
      server = decodeURIComponent(match[1]!);
    } catch {
      return next();
    }
    const session = registry.get(sessionId);
    if (!session || session.server !== server || session.clientTransport !== 'streamable-http' || !session.acceptsDirectPost) return next();
    const length = req.headers['content-length'];
    const type = req.headers['content-type'];
    if (length === undefined || !/^\d+$/.test(length) || Number(length) > maxBodyBytes) return next();
    if (req.headers['transfer-encoding'] !== undefined || req.headers['content-encoding'] !== undefined) return next();
    if (type === undefined || !PLAIN_JSON.test(type)) return next();

    const chunks: Buffer[] = [];
    // A client that gives up mid-body takes its response with it; there is no one to answer.
    req.on('error', () => undefined);
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const text = raw.toString('utf8');
      let body: unknown;
      let parsed = false;
      if (text[0] === '{' || text[0] === '[') {
        try {
          body = JSON.parse(text);
          parsed = true;
        } catch {
          // body-parser says why, below.
        }
      }
      if (!parsed) {
        void parseLikeBodyParser(req, raw, jsonParser).then((outcome) => {
          alreadyRead.set(req, outcome);
          next();
        });
        return;
      }
      // The read took a while: the session may have moved on meanwhile, and then the router's route decides.
      const direct = session.acceptsDirectPost ? directPostMessage(req, body) : undefined;
      if (!direct) {
        alreadyRead.set(req, { body });
        next();
        return;
      }
      try {
        session.receiveDirectPost(direct, res);
      } catch (error) {
        answerInternalError(res, error);
      }
    });
  };

  const jsonBody: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const outcome = alreadyRead.get(req);
    if (!outcome) return jsonParser(req, res, next);
    alreadyRead.delete(req);
    if ('error' in outcome) return next(outcome.error);
    req.body = outcome.body;
    next();
  };

  return { handle, jsonBody };
}

/** What the routes' guard answers for a throw, on a response Express may never have seen. */
function answerInternalError(res: ServerResponse, error: unknown): void {
  if ('status' in res && typeof res.status === 'function') {
    sendJsonRpcError(res as Response, 500, `Internal error: ${errorMessage(error)}`, JSON_RPC_ERRORS.internalError);
    return;
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(jsonRpcError(null, JSON_RPC_ERRORS.internalError, `Internal error: ${errorMessage(error)}`));
  res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) }).end(body);
}

/** Runs body-parser on a body already read, for its exact outcome (its value, or its error). */
function parseLikeBodyParser(req: IncomingMessage, raw: Buffer, jsonParser: RequestHandler): Promise<ReadOutcome> {
  const replay = Object.assign(Readable.from([raw]), { headers: req.headers }) as unknown as Request & { body?: unknown };
  return new Promise((resolve) => {
    jsonParser(replay, {} as Response, (error?: unknown) => resolve(error === undefined ? { body: replay.body } : { error }));
  });
}
