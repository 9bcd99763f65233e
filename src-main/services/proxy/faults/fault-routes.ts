import type express from 'express';
import type { RequestHandler } from 'express';
import { parseFaultPlan } from '../../../../src-shared/faults';
import type { CatalogSource } from '../proxy-server';
import { sendJsonRpcError } from '../http-guards';
import { faultPlanProblem, FaultPlanError, type FaultPlans } from './fault-plans';

/**
 * The control API of fault injection, behind the proxy's token like the rest of `/api`:
 * `GET /api/faults` (every plan), `GET|PUT|DELETE /api/servers/{id}/faults` (one server's: read, set, clear).
 * A bad plan is answered 400 with a sentence per problem; a server not in the catalog 404.
 */
export function mountFaultRoutes(app: express.Express, catalog: CatalogSource, plans: FaultPlans, jsonBody: RequestHandler): void {
  app.get('/api/faults', (_req, res) => {
    res.json({ plans: plans.list() });
  });
  app.get('/api/servers/:id/faults', (req, res) => {
    const server = knownServer(req.params.id, res);
    if (server === undefined) return;
    res.json({ server, plan: plans.get(server) ?? null });
  });
  app.put('/api/servers/:id/faults', jsonBody, (req, res) => {
    const server = knownServer(req.params.id, res);
    if (server === undefined) return;
    if (req.body === undefined || !req.is('application/json')) {
      return sendJsonRpcError(res, 400, 'Bad Request: send the fault plan as a JSON body (Content-Type: application/json), for example {"faults":[{"kind":"drop","methods":["tools/call"]}]}');
    }
    const parsed = parseFaultPlan(req.body);
    if (!parsed.ok) return sendJsonRpcError(res, 400, `Bad Request: ${parsed.message}`);
    const problem = faultPlanProblem(catalog.get(server)!, parsed.plan);
    if (problem) return sendJsonRpcError(res, 400, `Bad Request: ${problem}`);
    try {
      res.json({ server, plan: plans.set(server, parsed.plan) });
    } catch (error) {
      if (!(error instanceof FaultPlanError)) throw error;
      sendJsonRpcError(res, 400, `Bad Request: ${error.message}`);
    }
  });
  app.delete('/api/servers/:id/faults', (req, res) => {
    const server = knownServer(req.params.id, res);
    if (server === undefined) return;
    res.json({ server, cleared: plans.clear(server) });
  });

  function knownServer(id: string | string[] | undefined, res: express.Response): string | undefined {
    const name = String(id);
    if (!catalog.get(name)) {
      sendJsonRpcError(res, 404, `Unknown server "${name}": it is not in the catalog`);
      return undefined;
    }
    return name;
  }
}
