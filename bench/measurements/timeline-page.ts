// Code run inside the page by the timeline measurement. It is kept as plain JavaScript text, not functions handed to
// page.evaluate: tsx compiles functions with name helpers (`__name`) that do not exist in the page.

/** Shared helpers, prepended to each script: the next painted frame, and setting a React-controlled field. */
const HELPERS = `
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const rafOnce = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  const hook = window.__patchbayTimeline;
  const view = document.getElementById('view-timeline');
  const field = (label) => {
    const element = [...view.querySelectorAll('label')].find((candidate) => candidate.textContent.trim() === label);
    return element.control;
  };
  const setField = (label, value) => {
    const element = field(label);
    if (element.type === 'checkbox') {
      if (element.checked !== value) element.click();
      return;
    }
    const proto = element instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(element, value);
    element.dispatchEvent(new Event(element instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  };
  const resetFilters = async () => {
    setField('Search', '');
    setField('Server', '');
    setField('Method', '');
    setField('Direction', '');
    setField('Errors only', false);
    await nextFrame();
  };
`;

/** One filter scenario: fields set beforehand (not timed), then the one change that is timed. */
export interface FilterScenario {
  name: string;
  before: Array<[label: string, value: string | boolean]>;
  change: [label: string, value: string | boolean];
}

/**
 * Times each scenario `repeats` times: from the input event to the event handled (the store's filter pass and
 * React's synchronous render) and to the next frame painted. Resolves to { name, shown, handled[], painted[] }[].
 */
export function filterScript(scenarios: FilterScenario[], repeats: number): string {
  return `(async () => {
    ${HELPERS}
    const scenarios = ${JSON.stringify(scenarios)};
    const results = [];
    for (const scenario of scenarios) {
      const handled = [];
      const painted = [];
      let shown = 0;
      for (let repeat = 0; repeat < ${repeats}; repeat += 1) {
        await resetFilters();
        for (const [label, value] of scenario.before) setField(label, value);
        await nextFrame();
        const started = performance.now();
        setField(scenario.change[0], scenario.change[1]);
        handled.push(performance.now() - started);
        await nextFrame();
        painted.push(performance.now() - started);
        shown = hook.stats().shown;
      }
      results.push({ name: scenario.name, shown, handled, painted });
    }
    await resetFilters();
    return results;
  })()`;
}

/**
 * Scrolls the grid by `step` px per frame for `frames` frames, from the top, optionally adding `arrivalsPerFrame`
 * synthetic messages each frame. Resolves to { frameMs[], blankFrames, longTasks }: the interval between frames,
 * frames where the top or bottom edge of the viewport had no row, and tasks over 50 ms seen meanwhile.
 */
export function scrollScript(frames: number, step: number, arrivalsPerFrame: number): string {
  return `(async () => {
    ${HELPERS}
    const scroller = view.querySelector('[data-testid="timeline-scroll"]');
    let longTasks = 0;
    const observer = new PerformanceObserver((list) => { longTasks += list.getEntries().length; });
    observer.observe({ type: 'longtask' });
    scroller.scrollTop = 0;
    await nextFrame();
    const frameMs = [];
    let blankFrames = 0;
    let last = await rafOnce();
    for (let frame = 0; frame < ${frames}; frame += 1) {
      const range = scroller.scrollHeight - scroller.clientHeight;
      scroller.scrollTop = ((frame + 1) * ${step}) % Math.max(1, range);
      if (${arrivalsPerFrame} > 0) hook.ingestSynthetic(${arrivalsPerFrame});
      const now = await rafOnce();
      frameMs.push(now - last);
      last = now;
      const box = scroller.getBoundingClientRect();
      const rowAt = (y) => document.elementFromPoint(box.left + 60, y)?.closest('[data-testid="timeline-row"]');
      if (!rowAt(box.top + 3) || !rowAt(box.bottom - 3)) blankFrames += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    observer.disconnect();
    return { frameMs, blankFrames, longTasks };
  })()`;
}

/**
 * Jumps `count` times to pseudo-random far positions: time from setting scrollTop to the next frame, with rows
 * checked to be there. Resolves to { jumpMs[], blankFrames }.
 */
export function jumpScript(count: number): string {
  return `(async () => {
    ${HELPERS}
    const scroller = view.querySelector('[data-testid="timeline-scroll"]');
    const jumpMs = [];
    let blankFrames = 0;
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let jump = 0; jump < ${count}; jump += 1) {
      await nextFrame();
      const started = performance.now();
      scroller.scrollTop = Math.floor(random() * (scroller.scrollHeight - scroller.clientHeight));
      await rafOnce();
      const box = scroller.getBoundingClientRect();
      const rowAt = (y) => document.elementFromPoint(box.left + 60, y)?.closest('[data-testid="timeline-row"]');
      if (!rowAt(box.top + 3) || !rowAt(box.bottom - 3)) blankFrames += 1;
      jumpMs.push(performance.now() - started);
    }
    return { jumpMs, blankFrames };
  })()`;
}

/** The JS heap in use after a full GC (Chromium started with --expose-gc), in bytes; undefined elsewhere. */
export const HEAP_SCRIPT = `(async () => {
  if (typeof gc === 'function') { gc(); gc(); }
  return performance.memory ? performance.memory.usedJSHeapSize : undefined;
})()`;
