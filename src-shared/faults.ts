import { z } from 'zod';
import { describeZodError } from './zod-errors';

/**
 * Fault injection: a plan per server of what the proxy does wrong on purpose (delay, drop, duplicate, corrupt,
 * kill the child, close the client's stream, answer with an error, stall the child's stdout). Off by default: a
 * server has no plan until one is set from the UI, `serve --fault`/`--faults`, or `PUT /api/servers/{id}/faults`.
 * Every choice that is left to chance draws from a generator seeded with the plan's `seed`, so a run can be replayed.
 */

export const FAULT_KINDS = ['delay', 'drop', 'duplicate', 'corrupt', 'kill', 'close-stream', 'error', 'stall'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which way a delay or a drop applies: to what the client sends, to what the server sends, or both. */
export const FAULT_DIRECTIONS = ['client-to-server', 'server-to-client', 'both'] as const;
export type FaultDirection = (typeof FAULT_DIRECTIONS)[number];

/** One line per kind, for the CLI's help, the UI and the docs. */
export const FAULT_DESCRIPTIONS: Record<FaultKind, string> = {
  delay: 'holds messages for ms (plus up to jitterMs more) before passing them on, in order',
  drop: 'does not pass a share of the messages on (a dropped request is never sent, a dropped response never arrives)',
  duplicate: "sends a server's response to the client twice",
  corrupt: "sends the client invalid JSON in place of a server's message",
  kill: "kills the server's process (SIGKILL) afterMs after the onCall-th matching call was sent to it (stdio only)",
  'close-stream': "closes the client's stream in the middle of writing a response to it",
  error: 'answers a matching request with the given JSON-RPC error, without sending it to the server',
  stall: "stops reading the server's output for ms when a matching call is sent to it; nothing is lost, it arrives late",
};

/** The longest delay or stall a plan may ask for: ten minutes. */
export const MAX_FAULT_MS = 600_000;

const methodName = z.string().trim().min(1, 'a method name is required').max(200);
/** Methods a fault applies to (a response counts as its request's method); absent or empty: every method. */
const methods = z.array(methodName).max(100, 'at most 100 methods').optional();
const probability = z
  .number({ error: 'must be a number from 0 to 1 (a share: 0.25 is 25 %)' })
  .min(0, 'must be a share from 0 to 1 (0.25 is 25 %)')
  .max(1, 'must be a share from 0 to 1 (0.25 is 25 %)');
const milliseconds = z
  .number({ error: 'must be a whole number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .min(0, 'must not be negative')
  .max(MAX_FAULT_MS, `must be at most ${MAX_FAULT_MS} ms (10 minutes)`);
const nth = z.number({ error: 'must be a whole number from 1' }).int('must be a whole number from 1').min(1, 'must be 1 or more (1 is the first call)');
/** Each fault can be kept in the plan but switched off. */
const enabled = z.boolean().default(true);

export const DelayFaultSchema = z.strictObject({
  kind: z.literal('delay'),
  enabled,
  direction: z.enum(FAULT_DIRECTIONS).default('both'),
  ms: milliseconds,
  jitterMs: milliseconds.default(0),
  methods,
});

export const DropFaultSchema = z.strictObject({
  kind: z.literal('drop'),
  enabled,
  direction: z.enum(FAULT_DIRECTIONS).default('server-to-client'),
  probability: probability.default(1),
  methods,
});

export const DuplicateFaultSchema = z.strictObject({ kind: z.literal('duplicate'), enabled, probability: probability.default(1), methods });

export const CorruptFaultSchema = z.strictObject({ kind: z.literal('corrupt'), enabled, probability: probability.default(1), methods });

export const KillFaultSchema = z.strictObject({
  kind: z.literal('kill'),
  enabled,
  /** The Nth matching call of a session is the one killed (1: the first). */
  onCall: nth.default(1),
  /** How long after that call went to the server the process is killed. */
  afterMs: milliseconds.default(0),
  methods,
});

export const CloseStreamFaultSchema = z.strictObject({ kind: z.literal('close-stream'), enabled, probability: probability.default(1), methods });

export const ErrorFaultSchema = z.strictObject({
  kind: z.literal('error'),
  enabled,
  methods: z
    .array(methodName, { error: 'name at least one method to answer with the error, as a list: ["tools/call"]' })
    .min(1, 'name at least one method to answer with the error')
    .max(100, 'at most 100 methods'),
  probability: probability.default(1),
  code: z.number({ error: 'must be a whole number (a JSON-RPC error code)' }).int('must be a whole number (a JSON-RPC error code)').default(-32603),
  message: z.string().min(1, 'the error needs a message').max(2000).default('Injected by Patchbay'),
  data: z.unknown().optional(),
});

export const StallFaultSchema = z.strictObject({
  kind: z.literal('stall'),
  enabled,
  ms: milliseconds,
  probability: probability.default(1),
  methods,
});

export const FaultSchema = z.discriminatedUnion(
  'kind',
  [DelayFaultSchema, DropFaultSchema, DuplicateFaultSchema, CorruptFaultSchema, KillFaultSchema, CloseStreamFaultSchema, ErrorFaultSchema, StallFaultSchema],
  { error: `kind must be one of ${FAULT_KINDS.join(', ')}` },
);
export type Fault = z.infer<typeof FaultSchema>;
export type FaultInput = z.input<typeof FaultSchema>;

/** The largest seed: the generator takes 32 bits. */
export const MAX_FAULT_SEED = 0xffff_ffff;

/** What a client sends to set a server's plan; a plan without a seed gets a random one, shown with the plan. */
export const FaultPlanInputSchema = z.strictObject({
  seed: z
    .number({ error: `must be a whole number from 0 to ${MAX_FAULT_SEED}` })
    .int(`must be a whole number from 0 to ${MAX_FAULT_SEED}`)
    .min(0, `must be a whole number from 0 to ${MAX_FAULT_SEED}`)
    .max(MAX_FAULT_SEED, `must be a whole number from 0 to ${MAX_FAULT_SEED}`)
    .optional(),
  faults: z.array(FaultSchema).max(32, 'at most 32 faults per server'),
});
export type FaultPlanInput = z.input<typeof FaultPlanInputSchema>;

/** A server's plan as it applies: its seed always known. */
export const FaultPlanSchema = FaultPlanInputSchema.extend({ seed: z.number().int().min(0).max(MAX_FAULT_SEED) });
export type FaultPlan = z.infer<typeof FaultPlanSchema>;

/** Every server's plan, as the api and `GET /api/faults` report them; servers without a plan are absent. */
export const FaultPlansSchema = z.record(z.string(), FaultPlanSchema);
export type FaultPlans = z.infer<typeof FaultPlansSchema>;

/** Whether a plan does anything: a plan whose faults are all switched off injects nothing. */
export function planIsActive(plan: FaultPlan | undefined): boolean {
  return plan !== undefined && plan.faults.some((fault) => fault.enabled);
}

/** Reads a plan a client sent, or says in one sentence per problem what is wrong with it. */
export function parseFaultPlan(value: unknown): { ok: true; plan: z.output<typeof FaultPlanInputSchema> } | { ok: false; message: string } {
  const parsed = FaultPlanInputSchema.safeParse(value);
  return parsed.success ? { ok: true, plan: parsed.data } : { ok: false, message: `invalid fault plan: ${describeZodError(parsed.error)}` };
}

/** Whether a fault applies to a method (a response counts as its request's method). */
export function faultMatches(fault: { methods?: readonly string[] }, method: string | undefined): boolean {
  const list = fault.methods;
  if (list === undefined || list.length === 0) return true;
  return method !== undefined && list.includes(method);
}

/** A fault in a few words, for the UI's list and the events: `drop 50 % of tools/call server-to-client`. */
export function describeFault(fault: Fault): string {
  const on = fault.methods && fault.methods.length > 0 ? ` of ${fault.methods.join(', ')}` : '';
  const share = 'probability' in fault && fault.probability < 1 ? `${round(fault.probability * 100)} % ` : '';
  switch (fault.kind) {
    case 'delay':
      return `delay ${fault.ms} ms${fault.jitterMs > 0 ? ` + up to ${fault.jitterMs} ms` : ''}${on}, ${directionWords(fault.direction)}`;
    case 'drop':
      return `drop ${share || 'every '}message${on}, ${directionWords(fault.direction)}`;
    case 'duplicate':
      return `duplicate ${share}responses${on}`;
    case 'corrupt':
      return `corrupt ${share}server messages${on}`;
    case 'kill':
      return `kill the server ${fault.afterMs} ms after call ${fault.onCall}${on}`;
    case 'close-stream':
      return `close the client's stream mid-response (${share || 'every '}response${on})`;
    case 'error':
      return `answer ${share}${fault.methods.join(', ')} with error ${fault.code}`;
    case 'stall':
      return `stall the server's output ${fault.ms} ms on ${share}calls${on}`;
  }
}

function directionWords(direction: FaultDirection): string {
  return direction === 'both' ? 'both ways' : direction === 'client-to-server' ? 'client to server' : 'server to client';
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
