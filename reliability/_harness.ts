// Shared helpers of the reliability suite: the run count, the counters that `deno task stress`
// adds up, a virtual clock driven by fast-check's scheduler, and small tracking utilities.
import fc from "fast-check";
import assert from "node:assert/strict";

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

function envNumber(name: string): number | undefined {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${raw}`);
  }
  return value;
}

/**
 * How many runs a property gets: `base` in the ordinary test run, `STRESS_RUNS` when set
 * (`deno task stress` sets it). A property that is much costlier than the others passes a
 * `scale` below 1 so that it gets proportionally fewer runs under stress too.
 */
export function runs(base: number, scale = 1): number {
  const stress = envNumber("STRESS_RUNS");
  return stress === undefined ? base : Math.max(base, Math.round(stress * scale));
}

/** How many times a fault scenario repeats: 1 normally, `STRESS_REPEAT` under stress. */
export function repeats(): number {
  return envNumber("STRESS_REPEAT") ?? 1;
}

/** The counters of one property or fault scenario, appended to `STRESS_REPORT` if set. */
export class Tally {
  /** Schedules explored (property runs) or scenario repetitions. */
  runs = 0;
  /** Scheduler steps taken (tasks the scheduler released), over all runs. */
  steps = 0;
  /** Faults injected: aborts, timeouts, kills, closed pipes, crashed workers, thrown tasks. */
  faults = 0;
  /** Items (or lock acquisitions, or bytes for pipes, see `unit`) moved end to end. */
  items = 0;
  /** Items accepted but never delivered, or delivered twice. Must stay 0. */
  losses = 0;
  #start = performance.now();
  constructor(readonly suite: string, readonly name: string, readonly unit = "items") {}

  /** Appends the counters to the JSON-lines file named by `STRESS_REPORT`, if any. */
  flush(): void {
    const file = Deno.env.get("STRESS_REPORT");
    if (file === undefined || file === "") return;
    const line = JSON.stringify({
      suite: this.suite,
      name: this.name,
      unit: this.unit,
      runs: this.runs,
      steps: this.steps,
      faults: this.faults,
      items: this.items,
      losses: this.losses,
      ms: Math.round(performance.now() - this.#start),
    });
    Deno.writeTextFileSync(file, line + "\n", { append: true });
  }
}

/**
 * Runs a fast-check property with `numRuns` runs and records the tally, even when it fails (the
 * losses then show in the stress totals as well as in the failure).
 */
export async function property<Ts extends [unknown, ...unknown[]]>(
  tally: Tally,
  prop: fc.IAsyncPropertyWithHooks<Ts>,
  numRuns: number,
): Promise<void> {
  try {
    await fc.assert(prop, { numRuns });
  } finally {
    tally.flush();
  }
}

/** One macrotask turn with the real timer (the virtual clock may be installed). */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, 0));
}

/** Lets pending promise reactions run (`n` microtask turns). */
export async function flush(n = 100): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

/**
 * Lets the scheduler release tasks until nothing is scheduled and nothing that could schedule
 * more is still running (fast-check's `waitIdle`, then a real macrotask turn to be sure no long
 * promise chain is still on its way). After every step, once the promise reactions it caused
 * have run (so every task is again either at a scheduled point or waiting on the primitive),
 * `check` runs, and so does the virtual clock's check that no timer outlives its wait.
 */
export async function settle(s: fc.Scheduler, check?: () => void): Promise<void> {
  const act = async (f: () => Promise<void>) => {
    await f();
    await flush();
    VirtualClock.current?.check();
    check?.();
  };
  for (;;) {
    await s.waitIdle(act);
    await macrotask();
    if (s.count() === 0) {
      await macrotask();
      if (s.count() === 0) return;
    }
  }
}

/**
 * A virtual clock for one property run: while installed, `setTimeout`, `clearTimeout` and
 * `performance.now` are fake. Every timer created asks the scheduler for one "tick"; a tick
 * fires the live timer with the earliest deadline (creation order breaks ties) and moves the
 * clock to it. So timers fire in deadline order, at points of the schedule fast-check chooses,
 * and no wall-clock time passes.
 */
export class VirtualClock implements Disposable {
  now = 0;
  /** Timers created, fired and cleared while installed. */
  created = 0;
  fired = 0;
  cleared = 0;
  /** Waits with a timeout that have not settled yet (see {@linkcode Cancel.watch}). */
  timedWaits = 0;
  #timers = new Map<number, { deadline: number; fn: () => void }>();
  #nextId = 1;
  #restore: () => void;
  /** The clock installed now, if any. */
  static current: VirtualClock | undefined;

  constructor(readonly s: fc.Scheduler) {
    VirtualClock.current = this;
    const g = globalThis as unknown as Record<string, unknown>;
    const savedSet = g.setTimeout;
    const savedClear = g.clearTimeout;
    g.setTimeout = (fn: (...args: unknown[]) => void, ms = 0, ...args: unknown[]) =>
      this.#set(() => fn(...args), Number(ms) || 0);
    g.clearTimeout = (id: number) => {
      if (this.#timers.delete(id)) this.cleared++;
    };
    const perf = performance as unknown as Record<string, unknown>;
    perf.now = () => this.now;
    this.#restore = () => {
      VirtualClock.current = undefined;
      g.setTimeout = savedSet;
      g.clearTimeout = savedClear;
      delete perf.now;
    };
  }

  /** How many timers are neither fired nor cleared. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Asserts that no timer outlives the wait it was set for: a wait that settled clears it. */
  check(): void {
    assert.ok(
      this.pending <= this.timedWaits,
      `${this.pending} timers running for ${this.timedWaits} timed waits: a timer was not cleared`,
    );
  }

  #set(fn: () => void, ms: number): number {
    const id = this.#nextId++;
    this.created++;
    this.#timers.set(id, { deadline: this.now + Math.max(0, ms), fn });
    this.s.schedule(Promise.resolve(), `tick (timer of ${ms} ms)`).then(() => this.#tick());
    return id;
  }

  #tick(): void {
    let bestId = -1;
    let best: { deadline: number; fn: () => void } | undefined;
    for (const [id, timer] of this.#timers) {
      if (best === undefined || timer.deadline < best.deadline) {
        best = timer;
        bestId = id;
      }
    }
    if (best === undefined) return;
    this.#timers.delete(bestId);
    this.now = Math.max(this.now, best.deadline);
    this.fired++;
    best.fn();
  }

  [Symbol.dispose](): void {
    this.#restore();
  }
}

/** The state of a promise, readable synchronously. */
export interface Tracked<T> {
  state: "pending" | "fulfilled" | "rejected";
  value?: T;
  reason?: unknown;
  promise: Promise<void>;
}

/** Tracks a promise's outcome without letting a rejection go unhandled. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const t: Tracked<T> = { state: "pending", promise: Promise.resolve() };
  t.promise = promise.then(
    (value) => {
      t.state = "fulfilled";
      t.value = value;
    },
    (reason) => {
      t.state = "rejected";
      t.reason = reason;
    },
  );
  return t;
}

/** How a wait is cancelled in a property. */
export type CancelMode = "none" | "abort" | "timeout" | "preAborted";

/** An arbitrary of cancellation modes, mostly plain waits. */
export const cancelMode: fc.Arbitrary<CancelMode> = fc.constantFrom<CancelMode>(
  "none",
  "none",
  "abort",
  "timeout",
  "preAborted",
);

/** Options for a wait in mode `mode`, and a checker of the reason it may reject with. */
export interface Cancel {
  options: { signal?: AbortSignal; timeout?: number } | undefined;
  /** Asserts that `reason` is what this cancellation rejects with. */
  expect(reason: unknown): void;
  /** Passes the wait's promise through, counting it as a timed wait until it settles. */
  watch<T>(wait: Promise<T>): Promise<T>;
}

// Every wait goes through the same number of promise reactions, watched or not, so that the
// order in which tasks resume is the order in which the waits were granted.
const unwatched = <T>(wait: Promise<T>): Promise<T> => wait.finally(() => {});

/**
 * Makes the options for one wait. `abort` aborts at a point the scheduler picks; `timeout` uses
 * `ms` (virtual, with a {@linkcode VirtualClock} installed); `preAborted` is aborted already.
 */
export function cancel(
  s: fc.Scheduler,
  mode: CancelMode,
  what: string,
  ms: number,
  label: string,
): Cancel {
  const reason = new Error(`abort ${label}`);
  switch (mode) {
    case "none":
      return {
        options: undefined,
        expect: (r) => assert.fail(`${label} rejected without a cancellation: ${r}`),
        watch: unwatched,
      };
    case "abort": {
      const controller = new AbortController();
      s.schedule(Promise.resolve(), `abort ${label}`).then(() => controller.abort(reason));
      return {
        options: { signal: controller.signal },
        expect: (r) => assert.equal(r, reason),
        watch: unwatched,
      };
    }
    case "preAborted":
      return {
        options: { signal: AbortSignal.abort(reason) },
        expect: (r) => assert.equal(r, reason),
        watch: unwatched,
      };
    case "timeout":
      return {
        options: { timeout: ms },
        expect: (r) => {
          assert.ok(r instanceof DOMException, `${label}: not a DOMException: ${r}`);
          assert.equal(r.name, "TimeoutError");
          assert.equal(r.message, `${what} timed out after ${ms} ms`);
        },
        watch: <T>(wait: Promise<T>): Promise<T> => {
          const clock = VirtualClock.current;
          if (clock === undefined) return unwatched(wait);
          clock.timedWaits++;
          return wait.finally(() => clock.timedWaits--);
        },
      };
  }
}

/** A small seeded PRNG (mulberry32) for the fault scenarios. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Yields to the scheduler `n` times (a holder keeping a lock for `n` steps). */
export async function steps(s: fc.Scheduler, n: number, label: string): Promise<void> {
  for (let i = 0; i < n; i++) await s.schedule(Promise.resolve(), `${label} step ${i}`);
}

export { realClearTimeout, realSetTimeout };
