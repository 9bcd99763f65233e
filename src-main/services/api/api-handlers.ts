import type { AppSettings } from '../../../src-shared/settings';
import { apiContract, type ApiInput, type ApiMethod, type ApiOutput, type ApiResult, type ConnectionInfo, type EffectiveSettings } from '../../../src-shared/api-contract';
import { describeZodError } from '../../../src-shared/zod-errors';
import { maskSecrets, type ServerEntry } from '../../../src-shared/catalog';
import { CatalogError, type CatalogStore } from '../catalog/catalog-store';
import { restoreMaskedSecrets, withoutSecretValues } from '../catalog/secret-masking';
import { exportCatalog } from '../config/export-config';
import { findConfigs, finderContextFor, type FinderContext } from '../config-finder';
import { applyImport, ImportError, planImport, readImportFiles } from '../importer';
import { PendingPlans, previewOf } from '../importer/pending-plans';
import type { ConfigWatchService } from '../config-watch/config-watch-service';
import type { InputAnswerStore } from '../inputs/input-answers';
import { checkServerAnswers, keepInputDefinitions, promptFor } from '../inputs/server-inputs';
import { TOKEN_ENV, type RunningProxy } from '../proxy/proxy-server';
import { faultPlanProblem, FaultPlanError } from '../proxy/faults/fault-plans';
import type { AuthFlowMode, ServerAuthState } from '../../../src-shared/oauth';
import { EndProcessError } from '../procmon/process-monitor';
import { RecordingError } from '../recording/recording-error';
import { diagnoseServer } from '../doctor';
import type { RecordingService } from '../recording/recording-service';
import type { AppSandboxHost } from '../apps/sandbox-host';
import { SnapshotError } from '../snapshot/snapshot-error';
import type { SnapshotService } from '../snapshot/snapshot-service';
import { StressError } from '../stress/stress-error';
import type { StressService } from '../stress/stress-service';

/** One handler per api method, taking the validated input. */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutput<M>> };

/** What the handlers work with. */
export interface ApiServices {
  catalog: CatalogStore;
  proxy: RunningProxy;
  host: ConnectionInfo['host'];
  /** Called when a window introduces itself, so the host can close its sessions when it goes away. */
  onHello?: (owner: string) => void;
  /** What the start did that the user should hear of (server processes left by a crash, ended). */
  startupNotices?: string[];
  /** The app's settings: read as they apply, changed and applied at once. */
  settings?: {
    get(): EffectiveSettings;
    update(change: AppSettings): Promise<EffectiveSettings>;
  };
  /** Answers to servers' VS Code inputs; without it (a host that cannot ask) input prompts are refused. */
  inputAnswers?: InputAnswerStore;
  /** Where "Find my configs" looks: this machine's home, OS and working folder unless the host says otherwise. */
  finderContext?: FinderContext;
  /** Keeps imported files in sync when the user asks (absent: this host watches nothing). */
  configWatch?: ConfigWatchService;
  /** Stress runs (absent: this host runs none). */
  stress?: StressService;
  /** OAuth for remote servers (services/oauth); absent: every auth method is refused with a sentence. */
  auth?: AuthApi;
  /** Recordings and replays (absent: this host records nothing). */
  recordings?: RecordingService;
  /** Server snapshots and their diffs (absent: this host keeps none). */
  snapshots?: SnapshotService;
  /** Serves MCP Apps' documents from their own origin (absent: this host shows no apps). */
  appSandbox?: AppSandboxHost;
}

/** What the auth api methods call: the OAuth engine's face for the renderer (every answer already redacted). */
export interface AuthApi {
  state(serverId: string): ServerAuthState;
  start(serverId: string, mode: AuthFlowMode): Promise<ServerAuthState>;
  next(serverId: string): Promise<ServerAuthState>;
  cancel(serverId: string): Promise<ServerAuthState>;
  signOut(serverId: string): Promise<ServerAuthState>;
}

/** Builds the api handlers over the services. Both hosts (IPC and the web bridge) call them through `invokeApi`. */
export function createApiHandlers(services: ApiServices): ApiHandlers {
  const { catalog, proxy } = services;
  const pendingPlans = new PendingPlans();
  const requireWatch = () => {
    if (!services.configWatch) throw new CatalogError('this host does not keep config files in sync');
    return services.configWatch;
  };
  const watchedView = () => {
    const watch = services.configWatch;
    if (!watch) return { sources: [] };
    return { sources: watch.list().map(({ path, servers }) => ({ path, servers, pending: watch.pendingChange(path), problem: watch.problem(path) })) };
  };
  const requireStress = (): StressService => {
    if (!services.stress) throw new StressError('this host runs no stress runs');
    return services.stress;
  };
  const requireRecordings = (): RecordingService => {
    if (!services.recordings) throw new RecordingError('this host keeps no recordings');
    return services.recordings;
  };
  const requireSnapshots = (): SnapshotService => {
    if (!services.snapshots) throw new SnapshotError('this host keeps no snapshots');
    return services.snapshots;
  };
  const requireSettings = () => {
    if (!services.settings) throw new Error('this host keeps no settings');
    return services.settings;
  };
  const requireServer = (name: string): ServerEntry => {
    const entry = catalog.get(name);
    if (!entry) throw new CatalogError(`there is no server named "${name}"`);
    return entry;
  };
  // Only a remote server in the catalog can sign in: the engine is never asked about a name it does not know.
  const requireAuth = (serverId: string): AuthApi => {
    const entry = requireServer(serverId);
    if (entry.transport === 'stdio') throw new CatalogError(`"${serverId}" is a stdio server: only remote servers sign in with OAuth`);
    if (!services.auth) throw new CatalogError('this host does not sign in to servers');
    return services.auth;
  };
  const requireAnswers = (): InputAnswerStore => {
    if (!services.inputAnswers) throw new CatalogError('this host cannot ask for inputs');
    return services.inputAnswers;
  };
  return {
    hello: async ({ owner }) => {
      services.onHello?.(owner);
      return { proxyUrl: proxy.url, token: proxy.token ?? '', host: services.host };
    },
    // The page never sees a secret's value (maskSecrets); what it sends back masked keeps the stored value.
    listServers: async () => forRenderer(catalog.list()),
    catalogStatus: async () => ({ path: catalog.loadReport.path, problem: catalog.loadReport.problem }),
    startupNotices: async () => ({ notices: services.startupNotices ?? [] }),
    getSettings: async () => requireSettings().get(),
    updateSettings: async (change) => requireSettings().update(change),
    addServer: async ({ entry }) => forRenderer(await catalog.add(restoreMaskedSecrets(entry as ServerEntry, undefined))),
    updateServer: async ({ name, entry }) =>
      forRenderer(await catalog.update(name, keepInputDefinitions(restoreMaskedSecrets(entry as ServerEntry, catalog.get(name)), catalog.get(name)))),
    removeServer: async ({ name }) => forRenderer(await catalog.remove(name)),
    duplicateServer: async ({ name }) => forRenderer(await catalog.duplicate(name)),
    inputPrompt: async ({ name }) => promptFor(requireServer(name), requireAnswers()),
    answerInputs: async ({ name, answers, remember }) => {
      const checked = checkServerAnswers(requireServer(name), answers);
      if (!checked.ok) throw new CatalogError(checked.message);
      const store = requireAnswers();
      await store.give(name, checked.answers, remember ?? false);
      return { remembered: store.rememberedCount(name) };
    },
    forgetInputs: async ({ name }) => ({ forgotten: await requireAnswers().forget(requireServer(name).name) }),
    getSessions: async () => ({ sessions: proxy.sessions.list().map((session) => session.snapshot()), seq: proxy.bus.lastSeq }),
    getStderr: async ({ sessionId }) => ({ lines: proxy.sessions.get(sessionId)?.stderr.toArray() ?? [] }),
    planImport: async ({ paths = [], files = [] }) => {
      const fromDisk = await readImportFiles(paths);
      const planned = planImport([...fromDisk, ...files.map((file) => ({ path: file.name, text: file.text }))], catalog.list());
      const plan = { ...planned, readFromDisk: paths };
      return previewOf(pendingPlans.keep(plan), plan);
    },
    applyImport: async ({ planId, decisions = {}, watch = [] }) => {
      const plan = pendingPlans.take(planId);
      if (!plan) throw new CatalogError('this import preview has expired or was already applied; drop the files again');
      // Only files read from disk by path can be watched (a dropped file's content in web mode has no path).
      const notOnDisk = watch.filter((path) => !plan.files.some((file) => file.ok && file.path === path && plan.readFromDisk?.includes(path)));
      if (notOnDisk.length > 0) {
        pendingPlans.restore(planId, plan);
        throw new CatalogError(`only a file opened from disk can be kept in sync, not ${notOnDisk.map((path) => `"${path}"`).join(', ')}`);
      }
      if (watch.length > 0) requireWatch();
      try {
        const applied = await applyImport(plan, decisions, catalog);
        for (const path of watch) {
          // The servers now in the catalog under the name they have in the file (a renamed one is not followed).
          const kept = plan.entries
            .filter((entry) => entry.file === path)
            .map((entry) => entry.name)
            .filter((name) => !applied.skipped.some((skip) => skip.file === path && skip.name === name) && !applied.renamed.some((rename) => rename.file === path && rename.from === name));
          await services.configWatch!.watch(path, kept);
        }
        return { ...applied, catalog: forRenderer(applied.catalog) };
      } catch (error) {
        // Nothing was written: keep the plan so the user can change the decisions and confirm again.
        pendingPlans.restore(planId, plan);
        throw error;
      }
    },
    findConfigs: async () => ({
      configs: await findConfigs(services.finderContext ?? finderContextFor(process.env, { honourFakeHome: false, cwd: process.cwd() })),
    }),
    watchedConfigs: async () => watchedView(),
    unwatchConfig: async ({ path }) => {
      await requireWatch().unwatch(path);
      return watchedView();
    },
    answerConfigChange: async ({ path, hash, apply }) => {
      const watch = requireWatch();
      try {
        if (!apply) {
          await watch.decline(path, hash);
          return { skipped: [], watched: watchedView() };
        }
        const applied = await watch.confirm(path, hash);
        return { skipped: applied.skipped, watched: watchedView() };
      } catch (error) {
        if (error instanceof CatalogError) throw error;
        throw new CatalogError(error instanceof Error ? error.message : String(error));
      }
    },
    getAuthState: async ({ serverId }) => requireAuth(serverId).state(serverId),
    startAuthFlow: async ({ serverId, mode }) => requireAuth(serverId).start(serverId, mode ?? 'all'),
    runNextAuthStep: async ({ serverId }) => requireAuth(serverId).next(serverId),
    cancelAuthFlow: async ({ serverId }) => requireAuth(serverId).cancel(serverId),
    signOut: async ({ serverId }) => requireAuth(serverId).signOut(serverId),
    getProcesses: async ({ server, samples } = {}) => {
      await proxy.processes.refreshLeaks();
      return proxy.processes.snapshot(server, samples);
    },
    watchProcesses: async ({ seconds }) => proxy.processes.lease(seconds * 1000),
    endProcess: async ({ pid }) => proxy.processes.end(pid),
    startStress: async (settings) => requireStress().start(settings as Parameters<StressService['start']>[0]),
    stopStress: async ({ runId }) => requireStress().stop(runId),
    stressStatus: async () => ({ runs: requireStress().active() }),
    listStressRuns: async ({ server }) => requireStress().list(server),
    getStressRun: async ({ id }) => requireStress().get(id),
    removeStressRun: async ({ id }) => {
      await requireStress().remove(id);
      return { removed: id };
    },
    exportStressRun: async ({ id, format }) => requireStress().export(id, format),
    openAppDocument: async (document) => {
      if (!services.appSandbox) throw new CatalogError('this host shows no MCP Apps');
      if (!catalog.get(document.server)) throw new CatalogError(`there is no server named "${document.server}"`);
      return services.appSandbox.open({ ...document, meta: document.meta ?? {} });
    },
    getFaults: async () => proxy.faults.list(),
    setFaults: async ({ server, plan }) => {
      const problem = faultPlanProblem(requireServer(server), plan);
      if (problem) throw new CatalogError(problem);
      try {
        return proxy.faults.set(server, plan);
      } catch (error) {
        if (error instanceof FaultPlanError) throw new CatalogError(error.message);
        throw error;
      }
    },
    clearFaults: async ({ server }) => ({ cleared: proxy.faults.clear(server) }),
    diagnoseServer: async ({ server }) =>
      diagnoseServer(requireServer(server), {
        // The doctor's child is kept from the proxy's token exactly as a session's is.
        isPrivateEnv: (name, value) => name === TOKEN_ENV || (proxy.token !== null && value.includes(proxy.token)),
        inputs: services.inputAnswers?.answersFor(server),
        signInHint: "open the server's Auth tab (or Sign in) in Patchbay",
      }),
    startRecording: async ({ server, name }) => requireRecordings().start({ server, name }),
    stopRecording: async ({ id }) => requireRecordings().stop(id),
    recordingStatus: async () => ({ recordings: requireRecordings().status() }),
    listRecordings: async () => requireRecordings().list(),
    getRecording: async ({ id }) => requireRecordings().get(id),
    exportRecording: async ({ id }) => requireRecordings().export(id),
    importRecording: async ({ fileName, text }) => requireRecordings().import(text, fileName),
    removeRecording: async ({ id }) => {
      await requireRecordings().remove(id);
      return { removed: id };
    },
    replayRecording: async (input) => requireRecordings().replay(input),
    takeSnapshot: async ({ server }) => requireSnapshots().take(server),
    listSnapshots: async ({ server }) => requireSnapshots().list(server),
    getSnapshot: async ({ id }) => requireSnapshots().get(id),
    exportSnapshot: async ({ id }) => requireSnapshots().export(id),
    importSnapshot: async ({ fileName, text }) => requireSnapshots().import(text, fileName),
    removeSnapshot: async ({ id }) => {
      await requireSnapshots().remove(id);
      return { removed: id };
    },
    diffSnapshots: async ({ before, after }) => requireSnapshots().diff(before, after),
    exportConfig: async ({ target, names, includeSecrets = false }) => {
      const all = catalog.list();
      const unknown = (names ?? []).filter((name) => !all.some((entry) => entry.name === name));
      if (unknown.length > 0) throw new CatalogError(`there is no server named ${unknown.map((name) => `"${name}"`).join(', ')}`);
      const chosen = names ? all.filter((entry) => names.includes(entry.name)) : all;
      // Secret values go into an exported file only when the user asks for them: it is their own file, in clear.
      const exported = exportCatalog(includeSecrets ? chosen : chosen.map(withoutSecretValues), target);
      const secretNotes = chosen
        .filter((entry) => (entry.secrets ?? []).length > 0)
        .map((entry) =>
          includeSecrets
            ? `server "${entry.name}": the secret values of ${entry.secrets!.join(', ')} are written in clear; keep this file private`
            : `server "${entry.name}": the secret values of ${entry.secrets!.join(', ')} are left empty; fill them in there, or export with secret values included`,
        );
      return { fileName: exported.fileName, text: exported.text, warnings: [...exported.warnings, ...secretNotes] };
    },
  };
}

/** The catalog as the renderer may see it: no secret values. */
export function forRenderer(entries: ServerEntry[]): ServerEntry[] {
  return entries.map(maskSecrets);
}

/**
 * Runs one api call from an untrusted caller: the method must exist, the payload must match the contract's
 * schema, and every outcome, failure included, comes back as an ApiResult with a readable message.
 */
export async function invokeApi(handlers: ApiHandlers, method: string, payload: unknown): Promise<ApiResult<unknown>> {
  if (!Object.hasOwn(apiContract, method)) {
    return { ok: false, error: { code: 'unknown-method', message: `unknown api method "${method}"` } };
  }
  const name = method as ApiMethod;
  const parsed = apiContract[name].input.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-payload', message: `invalid input for ${name}: ${describeZodError(parsed.error)}` } };
  }
  try {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof CatalogError || error instanceof ImportError || error instanceof EndProcessError || error instanceof StressError || error instanceof RecordingError || error instanceof SnapshotError) return { ok: false, error: { code: 'rejected', message: error.message } };
    return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
}
