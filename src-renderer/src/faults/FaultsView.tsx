import { useEffect, useId, useState } from 'react';
import { describeFault, FAULT_DESCRIPTIONS, FAULT_DIRECTIONS, planIsActive, type FaultKind } from '../../../src-shared/faults';
import { errorText } from '../error-text';
import { useRuntime } from '../runtime-context';
import { draftsOf, FAULT_KINDS, FIELD_SPECS, KIND_LABELS, newDraft, planFromDrafts, sameAsPlan, type FaultDraft, type FieldSpec } from './fault-drafts';
import { useFaultPlan } from './fault-store';

/**
 * The Faults tab: what the proxy does wrong on purpose to this server's traffic. Each fault with its settings and an
 * on/off switch, applied together with Apply (main checks the plan); Turn faults off clears the plan. The seed is
 * shown so a run can be replayed.
 */
export function FaultsView({ server }: { server: string }) {
  const runtime = useRuntime();
  const plan = useFaultPlan(server);
  const [drafts, setDrafts] = useState<FaultDraft[]>(() => draftsOf(plan));
  const [seed, setSeed] = useState(plan ? String(plan.seed) : '');
  const [adding, setAdding] = useState<FaultKind>('drop');
  const [problems, setProblems] = useState<string[]>([]);
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const addId = useId();
  const seedId = useId();
  // A plan changed elsewhere (the control API, another window) replaces an unchanged form.
  const [shownPlan, setShownPlan] = useState(plan);
  useEffect(() => {
    if (plan === shownPlan) return;
    if (sameAsPlan(drafts, shownPlan)) {
      setDrafts(draftsOf(plan));
      setSeed(plan ? String(plan.seed) : '');
    }
    setShownPlan(plan);
  }, [plan, shownPlan, drafts]);

  const edit = (index: number, change: Partial<FaultDraft>) => {
    setDrafts((current) => current.map((draft, position) => (position === index ? { ...draft, ...change } : draft)));
    setStatus(undefined);
  };

  const apply = async () => {
    const outcome = planFromDrafts(drafts, seed);
    if (!outcome.ok) {
      setProblems(outcome.problems);
      return;
    }
    setProblems([]);
    setBusy(true);
    try {
      if (outcome.plan.faults.length === 0) {
        await runtime.clearFaults(server);
        setStatus('No faults: the proxy passes this server’s traffic on as it is.');
      } else {
        const applied = await runtime.setFaults(server, outcome.plan);
        setShownPlan(applied);
        setDrafts(draftsOf(applied));
        setSeed(String(applied.seed));
        setStatus(planIsActive(applied) ? `Applied (seed ${applied.seed}).` : 'Applied; every fault is switched off.');
      }
    } catch (error) {
      setProblems([errorText(error)]);
    } finally {
      setBusy(false);
    }
  };

  const turnOff = async () => {
    setBusy(true);
    try {
      await runtime.clearFaults(server);
      setDrafts([]);
      setSeed('');
      setProblems([]);
      setStatus('Faults off: the proxy passes this server’s traffic on as it is.');
    } catch (error) {
      setProblems([errorText(error)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="faults-view"
      aria-label={`Faults of ${server}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void apply();
      }}
    >
      <p className="muted">
        Make the proxy misbehave on purpose between this app and {server}, to see how both cope. Faults apply to new messages of every legacy session
        with this server, from any client of this Patchbay. A method of a response is its request’s.
      </p>
      <p data-testid="faults-state" className={planIsActive(plan) ? 'faults-state faults-state-on' : 'faults-state'}>
        {plan === undefined ? 'No faults are set.' : planIsActive(plan) ? `Faults on (seed ${plan.seed}): ${plan.faults.filter((fault) => fault.enabled).map(describeFault).join('; ')}` : `Every fault is switched off (seed ${plan.seed}).`}
      </p>
      <ol className="faults-list">
        {drafts.map((draft, index) => (
          <li key={index} className="faults-item" data-testid="fault-item" data-kind={draft.kind}>
            <div className="faults-item-head">
              <label className="tl-check">
                <input type="checkbox" checked={draft.enabled} onChange={(event) => edit(index, { enabled: event.target.checked })} aria-label={`Fault ${index + 1} (${draft.kind}) on`} />
                <strong>{KIND_LABELS[draft.kind]}</strong>
              </label>
              <span className="muted faults-item-about">{FAULT_DESCRIPTIONS[draft.kind]}</span>
              <button type="button" className="icon danger" aria-label={`Remove fault ${index + 1} (${draft.kind})`} onClick={() => setDrafts((current) => current.filter((_, position) => position !== index))}>
                ✕
              </button>
            </div>
            <div className="faults-fields">
              {FIELD_SPECS[draft.kind].map((spec) => (
                <FieldInput key={spec.key} spec={spec} index={index} draft={draft} onChange={(value) => edit(index, { values: { ...draft.values, [spec.key]: value } })} />
              ))}
            </div>
          </li>
        ))}
      </ol>
      <div className="insp-row insp-actions">
        <label htmlFor={addId}>Add</label>
        <select id={addId} className="sf-select" value={adding} onChange={(event) => setAdding(event.target.value as FaultKind)}>
          {FAULT_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {KIND_LABELS[kind]}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => setDrafts((current) => [...current, newDraft(adding)])}>
          + Add fault
        </button>
        <label htmlFor={seedId}>Seed</label>
        <input id={seedId} className="mono faults-seed" value={seed} placeholder="random" inputMode="numeric" onChange={(event) => setSeed(event.target.value)} />
      </div>
      {problems.length > 0 && (
        <ul className="sf-error" role="alert">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <div className="insp-row insp-actions">
        <button type="submit" className="primary" disabled={busy}>
          Apply faults
        </button>
        <button type="button" onClick={() => void turnOff()} disabled={busy || plan === undefined}>
          Turn faults off
        </button>
        <span className="muted" role="status">
          {status}
        </span>
      </div>
    </form>
  );
}

function FieldInput({ spec, index, draft, onChange }: { spec: FieldSpec; index: number; draft: FaultDraft; onChange(value: string): void }) {
  const id = useId();
  const value = draft.values[spec.key] ?? '';
  const label = `${spec.label} of fault ${index + 1}`;
  return (
    <span className="faults-field">
      <label htmlFor={id}>{spec.label}</label>
      {spec.type === 'direction' ? (
        <select id={id} className="sf-select" aria-label={label} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">{draft.kind === 'drop' ? 'server to client (default)' : 'both (default)'}</option>
          {FAULT_DIRECTIONS.map((direction) => (
            <option key={direction} value={direction}>
              {direction === 'both' ? 'both' : direction.replace(/-/g, ' ')}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          aria-label={label}
          className={spec.type === 'text' || spec.type === 'methods' ? 'faults-wide' : 'mono faults-number'}
          inputMode={spec.type === 'text' || spec.type === 'methods' ? undefined : 'numeric'}
          value={value}
          placeholder={spec.placeholder}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </span>
  );
}
