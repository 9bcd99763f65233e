import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { FAULT_DESCRIPTIONS, FAULT_KINDS, MAX_FAULT_SEED, FaultPlanInputSchema, FaultSchema, type FaultInput, type FaultPlanInput } from '../../src-shared/faults';
import { describeZodError } from '../../src-shared/zod-errors';

/**
 * `serve`'s fault flags. `--fault SERVER:KIND[:key=value,...]` adds one fault to a server's plan, for example
 * `--fault fs:drop:methods=tools/call,probability=25%` or `--fault fs:kill:onCall=3,afterMs=200`; methods are joined
 * with `+`. `--faults FILE` reads whole plans from JSON, `{ "SERVER": { "seed": 7, "faults": [ ... ] } }` (what
 * `GET /api/faults` answers under `plans`). `--fault-seed N` seeds the plans the flags build. Every value is checked
 * by the same schema as the control API's PUT.
 */

/** A fault flag or file that is wrong; the message names the flag and what is wrong with it. */
export class FaultFlagError extends Error {
  override readonly name = 'FaultFlagError';
}

/** `--faults FILE`'s shape: plans by server name. */
export const FaultPlansFileSchema = z.record(z.string().min(1, 'a server name is required'), FaultPlanInputSchema);

const NUMBER_KEYS = new Set(['ms', 'jitterMs', 'probability', 'onCall', 'afterMs', 'code']);

/**
 * Reads one `--fault` value into a server name and a fault.
 * @throws FaultFlagError naming the flag and what is wrong.
 */
export function parseFaultFlag(value: string): { server: string; fault: FaultInput } {
  const flag = `--fault ${value}`;
  const [server, kind, ...rest] = value.split(':');
  if (!server || !kind) throw new FaultFlagError(`${flag}: write SERVER:KIND[:key=value,...], for example fs:drop:methods=tools/call`);
  if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new FaultFlagError(`${flag}: "${kind}" is not a fault; the kinds are ${FAULT_KINDS.join(', ')}`);
  const fault: Record<string, unknown> = { kind };
  // A message may hold colons (its settings are everything after the kind).
  const settings = rest.join(':');
  for (const pair of settings === '' ? [] : settings.split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new FaultFlagError(`${flag}: "${pair}" is not key=value`);
    const key = pair.slice(0, equals).trim();
    const raw = pair.slice(equals + 1).trim();
    fault[key] = readValue(key, raw, flag);
  }
  const parsed = FaultSchema.safeParse(fault);
  if (!parsed.success) throw new FaultFlagError(`${flag}: ${describeZodError(parsed.error)}`);
  return { server, fault: fault as FaultInput };
}

function readValue(key: string, raw: string, flag: string): unknown {
  if (key === 'methods') return raw.split('+').map((method) => method.trim()).filter((method) => method !== '');
  if (key === 'enabled') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new FaultFlagError(`${flag}: enabled is true or false, not "${raw}"`);
  }
  if (key === 'probability' && raw.endsWith('%')) return percent(raw.slice(0, -1), flag);
  if (NUMBER_KEYS.has(key)) {
    const number = Number(raw);
    if (raw === '' || !Number.isFinite(number)) throw new FaultFlagError(`${flag}: ${key} must be a number, not "${raw}"`);
    return number;
  }
  return raw;
}

function percent(raw: string, flag: string): number {
  const number = Number(raw);
  if (raw === '' || !Number.isFinite(number)) throw new FaultFlagError(`${flag}: probability must be a share (0.25) or a percentage (25%), not "${raw}%"`);
  return number / 100;
}

/**
 * Builds the plans `serve` starts with: those of `--faults FILE`, then each `--fault` added to its server's plan.
 * @param seed `--fault-seed`, the seed of plans that name none.
 * @throws FaultFlagError for a file that cannot be read or is wrong, a wrong flag or seed.
 */
export async function faultPlansFromFlags(flags: string[], file: string | undefined, seed: string | undefined): Promise<Record<string, FaultPlanInput>> {
  const plans: Record<string, FaultPlanInput> = file === undefined ? {} : await readFaultsFile(file);
  for (const value of flags) {
    const { server, fault } = parseFaultFlag(value);
    const plan = (plans[server] ??= { faults: [] });
    plan.faults.push(fault);
  }
  if (seed !== undefined) {
    const number = /^\d+$/.test(seed.trim()) ? Number(seed) : Number.NaN;
    if (!(Number.isInteger(number) && number <= MAX_FAULT_SEED)) throw new FaultFlagError(`--fault-seed must be a whole number from 0 to ${MAX_FAULT_SEED}, not "${seed}"`);
    for (const plan of Object.values(plans)) plan.seed ??= number;
  }
  for (const [server, plan] of Object.entries(plans)) {
    const checked = FaultPlanInputSchema.safeParse(plan);
    if (!checked.success) throw new FaultFlagError(`the faults of "${server}": ${describeZodError(checked.error)}`);
  }
  return plans;
}

async function readFaultsFile(path: string): Promise<Record<string, FaultPlanInput>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FaultFlagError(`--faults ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FaultFlagError(`--faults ${path}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = FaultPlansFileSchema.safeParse(json);
  if (!parsed.success) throw new FaultFlagError(`--faults ${path}: ${describeZodError(parsed.error)}`);
  // Kept as written (defaults are filled in by the proxy), so more --fault flags can be added to it.
  return json as Record<string, FaultPlanInput>;
}

/** The help lines of the fault flags. */
export function faultFlagsHelp(): string[] {
  return [
    '  --fault SERVER:KIND[:key=value,...]  inject a fault into SERVER\'s traffic (repeatable); KIND is one of:',
    ...FAULT_KINDS.map((kind) => `      ${kind.padEnd(12)} ${FAULT_DESCRIPTIONS[kind]}`),
    '                  keys: methods=tools/call+prompts/list (default: every method), direction=client-to-server|',
    '                  server-to-client|both, probability=0.25 or 25%, ms, jitterMs, onCall, afterMs, code, message,',
    '                  enabled=false; for example --fault fs:drop:methods=tools/call,probability=50%',
    '  --faults FILE   fault plans as JSON: {"SERVER": {"seed": 7, "faults": [{"kind": "delay", "ms": 200}]}}',
    '  --fault-seed N  seed of the plans that name none (default: a random one, printed at start)',
  ];
}
