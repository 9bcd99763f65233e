import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultFlagError, faultPlansFromFlags, parseFaultFlag } from './fault-flags';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchbay-fault-flags-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--fault SERVER:KIND[:key=value,...]', () => {
  it('reads a kind with its settings: numbers, percentages, methods joined with +, a message with colons', () => {
    expect(parseFaultFlag('fs:drop:methods=tools/call+resources/read,probability=25%,direction=both')).toEqual({
      server: 'fs',
      fault: { kind: 'drop', methods: ['tools/call', 'resources/read'], probability: 0.25, direction: 'both' },
    });
    expect(parseFaultFlag('fs:kill:onCall=3,afterMs=200')).toEqual({ server: 'fs', fault: { kind: 'kill', onCall: 3, afterMs: 200 } });
    expect(parseFaultFlag('fs:error:methods=tools/call,code=-32050,message=down: for now')).toEqual({
      server: 'fs',
      fault: { kind: 'error', methods: ['tools/call'], code: -32050, message: 'down: for now' },
    });
    expect(parseFaultFlag('fs:duplicate')).toEqual({ server: 'fs', fault: { kind: 'duplicate' } });
  });

  it('says what is wrong, naming the flag', () => {
    expect(() => parseFaultFlag('fs')).toThrow('--fault fs: write SERVER:KIND[:key=value,...], for example fs:drop:methods=tools/call');
    expect(() => parseFaultFlag('fs:explode')).toThrow('--fault fs:explode: "explode" is not a fault; the kinds are delay, drop, duplicate, corrupt, kill, close-stream, error, stall');
    expect(() => parseFaultFlag('fs:delay:ms=soon')).toThrow('--fault fs:delay:ms=soon: ms must be a number, not "soon"');
    expect(() => parseFaultFlag('fs:delay')).toThrow(/--fault fs:delay: ms: must be a whole number of milliseconds/);
    expect(() => parseFaultFlag('fs:delay:ms=10,speed=2')).toThrow(/speed/);
    expect(() => parseFaultFlag('fs:error')).toThrow(/methods/);
    expect(() => parseFaultFlag('fs:drop:enabled=maybe')).toThrow('--fault fs:drop:enabled=maybe: enabled is true or false, not "maybe"');
    expect(() => parseFaultFlag('fs:drop:probability')).toThrow(FaultFlagError);
  });
});

describe('--faults FILE and --fault-seed', () => {
  it('adds each --fault to the plan of its server from the file; the seed goes to plans without one', async () => {
    const file = join(dir, 'faults.json');
    await writeFile(file, JSON.stringify({ fs: { seed: 5, faults: [{ kind: 'delay', ms: 100 }] } }));
    expect(await faultPlansFromFlags(['fs:drop', 'git:stall:ms=50'], file, '42')).toEqual({
      fs: { seed: 5, faults: [{ kind: 'delay', ms: 100 }, { kind: 'drop' }] },
      git: { seed: 42, faults: [{ kind: 'stall', ms: 50 }] },
    });
  });

  it('names the file and the field that is wrong', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ fs: { faults: [{ kind: 'delay', ms: -1 }] } }));
    await expect(faultPlansFromFlags([], file, undefined)).rejects.toThrow(`--faults ${file}: fs.faults[0].ms: must not be negative`);
    await writeFile(file, '{ nope');
    await expect(faultPlansFromFlags([], file, undefined)).rejects.toThrow(new RegExp(`--faults ${file}: not valid JSON`));
    await expect(faultPlansFromFlags([], join(dir, 'missing.json'), undefined)).rejects.toThrow(/cannot read it \(ENOENT\)/);
    await expect(faultPlansFromFlags(['fs:drop'], undefined, '-3')).rejects.toThrow('--fault-seed must be a whole number from 0 to 4294967295, not "-3"');
  });
});
