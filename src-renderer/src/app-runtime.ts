import type { ServerEntry } from '../../src-shared/catalog';
import type { DroppedNotice, LifecycleEvent } from '../../src-shared/events';
import { eraSettingOf } from '../../src-shared/protocol-era';
import { getBridge, type RendererBridge } from './api/get-api';
import { applyAuthState, keepAuthStates, onSignedIn } from './auth/auth-store';
import { currentOwner, onOwnerRenewed } from './api/owner';
import { ConnectionManager } from './mcp/connection-manager';
import { createProxyDriver, type ProxyConnection, type ProxyEndpoint } from './mcp/proxy-driver';
import { errorText } from './error-text';
import { useImportStore } from './import/import-store';
import { askForInputs, setInputNotice, usesInputs } from './inputs/input-prompt-store';
import { createLinkNotices, noticeCatalogProblem, noticeDropped, noticeStartup } from './notifications/app-notices';
import { useAppStore } from './store/app-store';
import { applyEvents, applySnapshot, applyStderrBackfill, liveOwnedSessions } from './store/session-events';
import { timeline } from './timeline/timeline-instance';
import { noteProcessEvent } from './inspector/processes/process-store';
import { setFaultPlan, setFaultPlans } from './faults/fault-store';
import { FaultPlanSchema, type FaultPlan, type FaultPlanInput } from '../../src-shared/faults';

/** How the client introduces itself to MCP servers. */
const CLIENT_IDENTITY = { name: 'MCP Patchbay', version: '0.1.0' };
/** Lifecycle events are applied in batches, so a flood of messages or stderr lines costs one render per batch. */
const FLUSH_MS = 50;

/**
 * Wires the bridge to main, the lifecycle events, the connection manager and the store, and offers the actions
 * the components call. Start-up follows snapshot-then-subscribe: events are buffered from the first moment, the
 * snapshot is fetched, and only events newer than it are applied, so nothing is lost or counted twice.
 */
export class AppRuntime {
  readonly manager: ConnectionManager<ProxyConnection>;
  private bridge?: RendererBridge;
  private endpoint?: ProxyEndpoint;
  /** Events waiting for the next batch. */
  private queue: LifecycleEvent[] = [];
  /** While a snapshot is being fetched, events wait here instead. */
  private buffer: LifecycleEvent[] | undefined = [];
  private flushTimer?: ReturnType<typeof setTimeout>;
  private resyncing: Promise<void> = Promise.resolve();
  private readonly backfilled = new Set<string>();
  /** Servers whose inputs are being asked for, so a second Connect does not ask twice. */
  private readonly asking = new Set<string>();

  constructor() {
    this.manager = new ConnectionManager<ProxyConnection>({
      driver: createProxyDriver(() => this.endpoint, CLIENT_IDENTITY, (server) =>
        eraSettingOf(useAppStore.getState().catalog.find((entry) => entry.name === server) ?? {}),
      ),
      ownedLiveSessions: () =>
        liveOwnedSessions(useAppStore.getState().sessions, currentOwner())
          .filter((session) => session.state !== 'closing')
          .map((session) => ({ server: session.server, id: session.id })),
    });
    this.manager.subscribe(() => useAppStore.setState({ connections: this.manager.getSnapshot() }));
    onSignedIn((server) => this.connectAfterSignIn(server));
  }

  /** Starts everything; failures end up in the store's `boot` for the UI to show. */
  async start(): Promise<void> {
    try {
      const bridge = getBridge();
      this.bridge = bridge;
      const { api } = bridge;
      useAppStore.setState({ owner: currentOwner() });
      const linkNotices = createLinkNotices();
      bridge.onLinkState((link) => {
        useAppStore.setState({ link });
        // Before the app is up the start-up screen says how the link is doing.
        if (useAppStore.getState().boot.status === 'ready') linkNotices(link);
        if (link.status === 'refused') {
          this.manager.resetAll();
          this.fail(new Error(`${link.error}. The access token is not (or no longer) valid: open the URL that npm run web printed.`));
        }
      });
      onOwnerRenewed((owner) => useAppStore.setState({ owner }));
      // Subscribe before anything else, buffering, so no event slips between snapshot and subscription.
      api.onLifecycleEvent((event) => this.receive(event));
      api.onCatalogChanged((entries) => this.setCatalog(entries));
      // Files main was asked to open wait for this subscription (main sends them after hello).
      api.onOpenFiles?.(({ paths }) => void useImportStore.getState().importPaths(paths));
      bridge.onLost(() => {
        // The proxy is closing every session of this window's owner; our clients are dead.
        this.endpoint = undefined;
        this.manager.resetAll();
      });
      bridge.onResync((reason, notice) => {
        if (notice) this.noteDropped(notice);
        void (async () => {
          if (reason === 'reopened') await this.hello();
          await this.resync();
          // A dropped catalog event is as lost as a closed stream's.
          this.setCatalog(await api.listServers());
          setFaultPlans(await api.getFaults());
        })().catch((error: unknown) => this.fail(error));
      });

      await bridge.ready;
      await this.hello();
      await this.resync();
      const [entries, status, startup, faults] = await Promise.all([api.listServers(), api.catalogStatus(), api.startupNotices(), api.getFaults()]);
      this.setCatalog(entries);
      setFaultPlans(faults);
      useAppStore.setState({ boot: { status: 'ready' } });
      noticeCatalogProblem(status.problem);
      noticeStartup(startup.notices);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Main dropped events because this window fell behind: say so. */
  private noteDropped(notice: DroppedNotice): void {
    noticeDropped(notice);
    console.warn(`[patchbay] ${notice.count} events were dropped: ${notice.reason}; taking a new snapshot`);
  }

  /** Toggles a server: disconnects it if it is wanted connected or still has a session, connects it otherwise. */
  toggle(name: string, connectedNow: boolean): void {
    if (connectedNow) this.disconnect(name);
    else this.connect(name);
  }

  /** Connects a server, first asking for its VS Code inputs that have no answer yet (one dialog at a time). */
  connect(name: string): void {
    const entry = useAppStore.getState().catalog.find((candidate) => candidate.name === name);
    if (!entry || !usesInputs(entry)) {
      this.manager.connect(name);
      return;
    }
    if (this.asking.has(name)) return;
    this.asking.add(name);
    void this.connectAfterInputs(name)
      .catch((error: unknown) => setInputNotice(name, `Not connected: ${errorText(error)}`))
      .finally(() => this.asking.delete(name));
  }

  private async connectAfterInputs(name: string): Promise<void> {
    setInputNotice(name, undefined);
    const prompt = await this.api().inputPrompt({ name });
    if (prompt.inputs.length > 0) {
      const reply = await askForInputs(prompt);
      if (!reply) {
        setInputNotice(name, `Not connected: its input${prompt.inputs.length === 1 ? ' was' : 's were'} not answered (${prompt.inputs.map((input) => input.id).join(', ')}).`);
        return;
      }
      await this.api().answerInputs({ name, answers: reply.answers, remember: reply.remember });
    }
    this.manager.connect(name);
  }

  disconnect(name: string): void {
    this.manager.disconnect(name);
  }

  /** Connects every enabled server; those with unanswered inputs are asked one after another. */
  connectAll(): void {
    for (const entry of useAppStore.getState().catalog) if (!entry.disabled) this.connect(entry.name);
  }

  /** Forgets a server's remembered input answers: its next connect asks again. */
  async forgetInputs(name: string): Promise<number> {
    const { forgotten } = await this.api().forgetInputs({ name });
    return forgotten;
  }

  /** How many input answers are remembered for a server (0 when it uses none). */
  async rememberedInputs(name: string): Promise<number> {
    return (await this.api().inputPrompt({ name })).remembered;
  }

  disconnectAll(): void {
    for (const entry of useAppStore.getState().catalog) this.manager.disconnect(entry.name);
    this.manager.disconnectAll();
  }

  select(name: string | undefined): void {
    useAppStore.setState({ selected: name });
  }

  /** Adds a server; rejects with ApiCallError (its message is for the user) when main refuses. */
  async addServer(entry: ServerEntry): Promise<void> {
    this.setCatalog(await this.api().addServer({ entry }));
    this.select(entry.name);
  }

  /** Replaces a server's entry (it may be renamed). */
  async updateServer(name: string, entry: ServerEntry): Promise<void> {
    this.setCatalog(await this.api().updateServer({ name, entry }));
    this.select(entry.name);
  }

  /** Copies a server under a new name and selects the copy. */
  async duplicateServer(name: string): Promise<void> {
    const before = new Set(useAppStore.getState().catalog.map((entry) => entry.name));
    const entries = await this.api().duplicateServer({ name });
    this.setCatalog(entries);
    const copy = entries.find((entry) => !before.has(entry.name));
    if (copy) this.select(copy.name);
  }

  /** Removes a server (disconnecting it) and selects its neighbour. */
  async removeServer(name: string): Promise<void> {
    const names = useAppStore.getState().catalog.map((entry) => entry.name);
    const index = names.indexOf(name);
    this.manager.disconnect(name);
    const entries = await this.api().removeServer({ name });
    this.setCatalog(entries);
    const neighbour = entries[Math.min(Math.max(index, 0), entries.length - 1)];
    this.select(neighbour?.name);
  }

  /** Sets a server's fault plan; rejects with ApiCallError (its message says what is wrong) when main refuses. */
  async setFaults(server: string, plan: FaultPlanInput): Promise<FaultPlan> {
    const applied = await this.api().setFaults({ server, plan });
    setFaultPlan(server, applied);
    return applied;
  }

  /** Clears a server's fault plan: the proxy is transparent for it again. */
  async clearFaults(server: string): Promise<void> {
    await this.api().clearFaults({ server });
    setFaultPlan(server, undefined);
  }

  /** Fetches the stderr lines a session wrote before we were listening (once per session). */
  async loadEarlierStderr(sessionId: string): Promise<void> {
    const session = useAppStore.getState().sessions.sessions[sessionId];
    if (!session || session.stderrComplete || session.state === 'closed' || this.backfilled.has(sessionId)) return;
    this.backfilled.add(sessionId);
    this.flush();
    const { lines } = await this.api().getStderr({ sessionId });
    useAppStore.setState((state) => ({ sessions: applyStderrBackfill(state.sessions, sessionId, lines) }));
  }

  /** The open SDK client of a server, for the inspector views. */
  connection(name: string): ProxyConnection | undefined {
    return this.manager.connection(name);
  }

  private api() {
    if (!this.bridge) throw new Error('Patchbay is still starting');
    return this.bridge.api;
  }

  private async hello(): Promise<void> {
    const owner = currentOwner();
    const info = await this.api().hello({ owner });
    this.endpoint = { proxyUrl: info.proxyUrl.replace(/\/+$/, ''), token: info.token, owner };
    useAppStore.setState({ owner });
  }

  private receive(event: LifecycleEvent): void {
    // A server's auth state belongs to no session: it goes to the auth store at once (snapshots do not hold it).
    if (event.type === 'auth-state') applyAuthState(event.state, 'event');
    // Messages are never part of a snapshot: the timeline takes each one as it arrives (O(1), renders batched).
    if (event.type === 'message') timeline.ingest(event);
    // The process monitor's ticks go to the Processes view alone.
    if (event.type === 'process-sample') {
      noteProcessEvent(event);
      return;
    }
    if (event.type === 'fault-injected') timeline.ingestFault(event);
    else if (event.type === 'faults-changed') setFaultPlan(event.server, event.plan === undefined ? undefined : FaultPlanSchema.parse(event.plan));
    // The manager learns at once that a session it holds is over, before the batch is rendered.
    if (event.type === 'session-closing' || event.type === 'session-closed') {
      this.manager.sessionEnded(event.sessionId);
      timeline.endSession(event);
    }
    if (this.buffer) {
      this.buffer.push(event);
      return;
    }
    this.queue.push(event);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** After a sign-in the server connects on its own, unless this window is connected to it already. */
  private connectAfterSignIn(server: string): void {
    const phase = useAppStore.getState().connections[server]?.phase;
    if (phase !== 'connected' && phase !== 'connecting') this.connect(server);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.queue.length === 0) return;
    const events = this.queue;
    this.queue = [];
    useAppStore.setState((state) => ({ sessions: applyEvents(state.sessions, events) }));
    this.manager.sweep();
  }

  /** Takes a new snapshot and applies the events buffered meanwhile that are newer than it. */
  private resync(): Promise<void> {
    this.resyncing = this.resyncing
      .catch(() => undefined)
      .then(async () => {
        this.flush();
        this.buffer ??= [];
        try {
          const snapshot = await this.api().getSessions();
          const buffered = this.buffer;
          this.buffer = undefined;
          useAppStore.setState((state) => ({ sessions: applyEvents(applySnapshot(state.sessions, snapshot), buffered) }));
          timeline.endSessionsMissingFrom(new Set(snapshot.sessions.map((session) => session.id)), snapshot.seq, Date.now());
          this.manager.sweep();
        } catch (error) {
          // Keep the events flowing even without a snapshot.
          const buffered = this.buffer ?? [];
          this.buffer = undefined;
          this.queue.push(...buffered);
          this.flush();
          throw error;
        }
      });
    return this.resyncing;
  }

  private setCatalog(entries: ServerEntry[]): void {
    const names = new Set(entries.map((entry) => entry.name));
    keepAuthStates(names);
    const state = useAppStore.getState();
    // A server that left the catalog is disconnected; its sessions end with it.
    for (const name of Object.keys(state.connections)) if (!names.has(name)) this.manager.disconnect(name);
    const selected = state.selected !== undefined && names.has(state.selected) ? state.selected : entries[0]?.name;
    useAppStore.setState({ catalog: entries, selected });
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (useAppStore.getState().boot.status === 'ready') {
      console.error('[patchbay]', message);
      return;
    }
    useAppStore.setState({ boot: { status: 'failed', error: message } });
  }
}
