// Copyright 2025 the @effective/concurrency authors. MIT license.
// The scheduler core: tasks, the run queue and the instructions operations yield.
//
// A task drives an iterator (its body). The body yields Instruction objects (or a task, to join
// it); `enter()` either answers at once (the task keeps running without a trip through the queue)
// or parks the task on a Pending (a timer, a promise, a task to join) and returns false. Whatever
// wakes a task puts it on the FIFO run queue; `drain()` steps queued tasks one at a time, so the
// interleaving depends only on the order of events, never on the host's microtask timing.
//
// Structure: every task but a root has a parent, and children form an intrusive doubly linked
// list. A task settles only after all its children settled. Halting a task first halts its
// children (newest first) and waits for them, then calls `return()` on its body, so `finally`
// blocks run child-before-parent; `finally` blocks may themselves yield (sleep, call, join).

import type { Operation } from "./operation.ts";
import type { Task } from "./task.ts";
import { addTimer, onTimersFired, removeTimer, type TimerEntry } from "./_timers.ts";

/** How a parked task is resumed. */
export const NEXT = 0, THROW = 1, RETURN = 2;
type Resume = 0 | 1 | 2;

// Task states.
const ACTIVE = 0; // running its body
const HALT_WAIT = 1; // halted; waiting for its children before closing its body
const CLOSING = 2; // body's `return()` called; `finally` blocks running (may yield)
const FINISHING = 3; // body finished; waiting for its (halted) children
const DONE = 4;

// Outcomes.
const NONE = 0, OK = 1, ERR = 2, CANCELLED = 3;

/** Something a task is parked on; `unwait` detaches it when the task is halted. */
export interface Pending {
  unwait(task: TaskImpl<unknown>): void;
}

/** Something told when a task settles. */
export interface Waiter {
  settled(task: TaskImpl<unknown>): void;
}

/** What a task body yields to the scheduler. */
export abstract class Instruction {
  /**
   * Acts for `task`. Returns true if `task` continues at once with `task.rk`/`task.rv`, or false
   * after parking it (setting `task.pending`); whoever wakes it later calls `schedule`.
   */
  abstract enter(task: TaskImpl<unknown>): boolean;
}

/**
 * An instruction that is also its own one-shot iterator, so an operation's `[Symbol.iterator]`
 * can return `new XInstr(...)` and `yield*` on it yields the instruction once, then evaluates to
 * the value the task is resumed with. Cheaper than a generator per `yield*`.
 */
export abstract class OneShot extends Instruction implements Iterator<unknown, unknown, unknown> {
  yielded = false;
  next(value?: unknown): IteratorResult<unknown, unknown> {
    if (this.yielded) return { done: true, value };
    this.yielded = true;
    return { done: false, value: this };
  }
  throw(error?: unknown): IteratorResult<unknown, unknown> {
    throw error;
  }
  return(value?: unknown): IteratorResult<unknown, unknown> {
    return { done: true, value };
  }
  [Symbol.iterator](): this {
    return this;
  }
}

/** The error a join of a cancelled task throws (when no reason was given). */
export function cancelledError(): DOMException {
  return new DOMException("The task was cancelled", "AbortError");
}

// ---- run queue -------------------------------------------------------------------------------

let head: TaskImpl<unknown> | null = null;
let tail: TaskImpl<unknown> | null = null;
let draining = false;
let current: TaskImpl<unknown> | null = null;

/** Queues `task` to resume with (`kind`, `value`). Does not run anything; see `drain`. */
export function schedule(task: TaskImpl<unknown>, kind: Resume, value: unknown): void {
  task.rk = kind;
  task.rv = value;
  if (!task.queued) {
    task.queued = true;
    if (tail === null) head = task;
    else tail.qnext = task;
    tail = task;
  }
}

/** Runs queued tasks until the queue is empty. Re-entrant calls return at once. */
export function drain(): void {
  if (draining) return;
  draining = true;
  try {
    let t: TaskImpl<unknown> | null;
    while ((t = head) !== null) {
      head = t.qnext;
      if (head === null) tail = null;
      t.qnext = null;
      t.queued = false;
      const s = t.state;
      if (s === ACTIVE || s === CLOSING) {
        current = t;
        t.step();
      }
    }
  } finally {
    current = null;
    draining = false;
  }
}

onTimersFired(drain);

function isIterator(x: unknown): x is Iterator<unknown> {
  return x !== null && typeof x === "object" && typeof (x as Iterator<unknown>).next === "function";
}

// Every generator function closure gets its own prototype object, so generator objects made by
// inline `function* () {}` closures all have different hidden classes and property lookups on
// them go megamorphic. Native generators are therefore recognised by their prototype chain and
// driven through the %GeneratorPrototype% methods directly.
// deno-lint-ignore no-explicit-any
type AnyGen = Generator<unknown, any, unknown>;
const GeneratorPrototype: AnyGen = Object.getPrototypeOf(
  Object.getPrototypeOf((function* () {})()),
);
const genNext = GeneratorPrototype.next;
const genThrow = GeneratorPrototype.throw;
const genReturn = GeneratorPrototype.return;
const getPrototypeOf = Object.getPrototypeOf;

/** Whether `x` is a generator object made by a generator function. */
export function isNativeGenerator(x: unknown): x is AnyGen {
  if (x === null || typeof x !== "object") return false;
  const proto = getPrototypeOf(x);
  return proto !== null && getPrototypeOf(proto) === GeneratorPrototype;
}

/** Starts `op` (calls its `[Symbol.iterator]`), or throws a TypeError naming `what`. */
export function iterate<T>(op: Operation<T>, what: string): Iterator<unknown, T, unknown> {
  if (isNativeGenerator(op)) return op;
  const it = op != null && typeof op[Symbol.iterator] === "function"
    ? op[Symbol.iterator]()
    : undefined;
  if (!isIterator(it)) {
    throw new TypeError(
      `${what} must be an operation (an iterable such as a generator), got ${describeValue(op)}`,
    );
  }
  return it;
}

/** A short description of a bad argument for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return `a function${value.name ? ` (${value.name})` : ""}`;
  if (typeof value === "object") {
    return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

// ---- tasks -----------------------------------------------------------------------------------

/** A task: the scheduler's record and, through the `Task` interface, the user's handle. */
export class TaskImpl<T> implements Task<T>, Pending, Waiter {
  gen: Iterator<unknown, T, unknown> | null;
  parent: TaskImpl<unknown> | null;
  first: TaskImpl<unknown> | null = null;
  last: TaskImpl<unknown> | null = null;
  prev: TaskImpl<unknown> | null = null;
  next: TaskImpl<unknown> | null = null;
  state = ACTIVE;
  outcome = NONE;
  /** The value (OK), the error (ERR) or the cancellation reason (CANCELLED, may be undefined). */
  result: unknown = undefined;
  pending: Pending | null = null;
  rk: Resume = NEXT;
  rv: unknown = undefined;
  queued = false;
  qnext: TaskImpl<unknown> | null = null;
  waiters: Waiter[] | null = null;
  /** A boundary's failure goes to whoever joins it, not to its parent (scoped, all, race). */
  boundary: boolean;
  /** Whether `gen` is a native generator (driven through %GeneratorPrototype% directly). */
  native: boolean;

  constructor(
    gen: Iterator<unknown, T, unknown>,
    parent: TaskImpl<unknown> | null,
    boundary: boolean,
  ) {
    this.gen = gen;
    this.native = isNativeGenerator(gen);
    this.parent = parent;
    this.boundary = boundary;
    if (parent !== null) {
      const last = parent.last;
      this.prev = last;
      if (last === null) parent.first = this as TaskImpl<unknown>;
      else last.next = this as TaskImpl<unknown>;
      parent.last = this as TaskImpl<unknown>;
    }
  }

  // -- the Task interface --

  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    return new JoinInstr(this as TaskImpl<unknown>) as Iterator<unknown, T, unknown>;
  }

  join(): Operation<T> {
    return this;
  }

  cancel(): Operation<void> {
    this.halt(undefined);
    if (!draining) drain();
    return new CancelOp(this as TaskImpl<unknown>);
  }

  get [Symbol.toStringTag](): string {
    return "Task";
  }

  // -- joining --

  /** Makes `w` wait for this task (see Instruction.enter). */
  joinBy(w: TaskImpl<unknown>): boolean {
    if (this.state === DONE) {
      deliver(w, this as TaskImpl<unknown>);
      return true;
    }
    for (let t: TaskImpl<unknown> | null = w; t !== null; t = t.parent) {
      if (t === (this as TaskImpl<unknown>)) {
        w.rk = THROW;
        w.rv = new TypeError(
          "Cannot join task: it is the joining task or one of its parents, so it would never finish",
        );
        return true;
      }
    }
    this.addWaiter(w);
    w.pending = this as TaskImpl<unknown>;
    return false;
  }

  addWaiter(w: Waiter): void {
    const ws = this.waiters;
    if (ws === null) this.waiters = [w];
    else ws.push(w);
  }

  removeWaiter(w: Waiter): void {
    const ws = this.waiters;
    if (ws === null) return;
    const i = ws.lastIndexOf(w);
    if (i >= 0) ws.splice(i, 1);
  }

  /** Pending: a joining task was halted. */
  unwait(w: TaskImpl<unknown>): void {
    this.removeWaiter(w);
  }

  /** Waiter: a task this one joined has settled. */
  settled(child: TaskImpl<unknown>): void {
    this.pending = null;
    const o = child.outcome;
    if (o === OK) schedule(this as TaskImpl<unknown>, NEXT, child.result);
    else {schedule(
        this as TaskImpl<unknown>,
        THROW,
        o === ERR ? child.result : child.result ?? cancelledError(),
      );}
  }

  // -- running --

  step(): void {
    const gen = this.gen!;
    let kind = this.rk;
    let value = this.rv;
    this.rv = undefined;
    for (;;) {
      let r: IteratorResult<unknown, T>;
      try {
        if (this.native) {
          r = kind === NEXT
            ? genNext.call(gen as AnyGen, value)
            : kind === THROW
            ? genThrow.call(gen as AnyGen, value)
            : genReturn.call(gen as AnyGen, undefined);
        } else if (kind === NEXT) r = gen.next(value);
        else if (kind === THROW) {
          if (typeof gen.throw !== "function") throw value;
          r = gen.throw(value);
        } else {
          r = typeof gen.return === "function"
            ? gen.return(undefined)
            : { done: true, value: undefined as T };
        }
      } catch (error) {
        this.bodyDone(ERR, error);
        return;
      }
      if (r.done) {
        this.bodyDone(OK, r.value);
        return;
      }
      if (this.state === HALT_WAIT) {
        // Halted while running (it cancelled itself or an ancestor): close once children are gone.
        if (this.first !== null) return;
        this.state = CLOSING;
        kind = RETURN;
        value = undefined;
        continue;
      }
      const instr = r.value;
      if (instr instanceof Instruction) {
        if (!instr.enter(this as TaskImpl<unknown>)) return;
        kind = this.rk;
        value = this.rv;
        this.rv = undefined;
      } else {
        kind = THROW;
        value = new TypeError(
          `A task yielded ${
            describeValue(instr)
          } to the scheduler: use \`yield*\` (with a star) on operations such as sleep(), spawn(), call() or a task`,
        );
      }
    }
  }

  bodyDone(kind: typeof OK | typeof ERR, value: unknown): void {
    if (kind === ERR) {
      if (this.outcome !== ERR) {
        this.outcome = ERR;
        this.result = value;
      }
    } else if (this.outcome === NONE) {
      this.outcome = OK;
      this.result = value;
    }
    this.gen = null;
    this.state = FINISHING;
    if (this.first !== null) this.haltChildren();
    if (this.first === null) this.settle();
  }

  settle(): void {
    this.state = DONE;
    const parent = this.parent;
    if (parent !== null) {
      this.parent = null;
      parent.childDone(this as TaskImpl<unknown>);
    }
    const ws = this.waiters;
    if (ws !== null) {
      this.waiters = null;
      for (let i = 0; i < ws.length; i++) ws[i].settled(this as TaskImpl<unknown>);
    }
  }

  childDone(child: TaskImpl<unknown>): void {
    const p = child.prev, n = child.next;
    if (p === null) this.first = n;
    else p.next = n;
    if (n === null) this.last = p;
    else n.prev = p;
    child.prev = child.next = null;
    // A failure fails the parent, except a boundary's (scoped/all/race), which goes to the
    // parent waiting for it; if the parent stopped waiting (it was cancelled), it fails anyway
    // rather than being lost.
    if (child.outcome === ERR && (!child.boundary || this.pending !== child)) {
      this.fail(child.result);
    }
    if (this.first === null) {
      if (this.state === HALT_WAIT) this.beginClose();
      else if (this.state === FINISHING) this.settle();
    }
  }

  fail(error: unknown): void {
    if (this.outcome !== ERR) {
      this.outcome = ERR;
      this.result = error;
    }
    this.halt(undefined);
  }

  /** Cancels the task: its children first (newest first), then its own `finally` blocks. */
  halt(reason: unknown): void {
    if (this.state !== ACTIVE) return;
    if (this.outcome === NONE) {
      this.outcome = CANCELLED;
      this.result = reason;
    }
    this.state = HALT_WAIT;
    const p = this.pending;
    if (p !== null) {
      this.pending = null;
      p.unwait(this as TaskImpl<unknown>);
    }
    if (this.first !== null) this.haltChildren();
    if (this.first === null) this.beginClose();
  }

  haltChildren(): void {
    for (let c = this.last; c !== null; c = c.prev) c.halt(undefined);
  }

  beginClose(): void {
    if (this === (current as unknown)) return; // step() notices HALT_WAIT when the body yields
    this.state = CLOSING;
    schedule(this as TaskImpl<unknown>, RETURN, undefined);
  }
}

function deliver(w: TaskImpl<unknown>, t: TaskImpl<unknown>): void {
  const o = t.outcome;
  if (o === OK) {
    w.rk = NEXT;
    w.rv = t.result;
  } else {
    w.rk = THROW;
    w.rv = o === ERR ? t.result : t.result ?? cancelledError();
  }
}

/** Waits for a task to settle and evaluates to its result (what `yield* task` runs). */
class JoinInstr extends OneShot {
  task: TaskImpl<unknown>;
  constructor(task: TaskImpl<unknown>) {
    super();
    this.task = task;
  }
  enter(w: TaskImpl<unknown>): boolean {
    return this.task.joinBy(w);
  }
}

/** What `task.cancel()` returns: an operation waiting for the task to settle. */
class CancelOp implements Operation<void> {
  task: TaskImpl<unknown>;
  constructor(task: TaskImpl<unknown>) {
    this.task = task;
  }
  [Symbol.iterator](): Iterator<unknown, void, unknown> {
    return new CancelWait(this.task) as Iterator<unknown, void, unknown>;
  }
}

/** Waits until a task settled, whatever its outcome. */
class CancelWait extends OneShot implements Pending, Waiter {
  task: TaskImpl<unknown>;
  waiter: TaskImpl<unknown> | null = null;
  constructor(task: TaskImpl<unknown>) {
    super();
    this.task = task;
  }
  enter(w: TaskImpl<unknown>): boolean {
    if (this.task.state === DONE) {
      w.rk = NEXT;
      w.rv = undefined;
      return true;
    }
    this.waiter = w;
    this.task.addWaiter(this);
    w.pending = this;
    return false;
  }
  unwait(): void {
    this.waiter = null;
    this.task.removeWaiter(this);
  }
  settled(): void {
    const w = this.waiter!;
    this.waiter = null;
    w.pending = null;
    schedule(w, NEXT, undefined);
  }
}

// ---- instructions ----------------------------------------------------------------------------

/** Starts a child task running `fn()`; answers with its handle at once. */
export class SpawnInstr extends OneShot {
  fn: () => Operation<unknown>;
  boundary: boolean;
  constructor(fn: () => Operation<unknown>, boundary: boolean) {
    super();
    this.fn = fn;
    this.boundary = boundary;
  }
  enter(parent: TaskImpl<unknown>): boolean {
    let gen: Iterator<unknown>;
    try {
      gen = iterate(this.fn(), "Cannot start task: the function's return value");
    } catch (error) {
      parent.rk = THROW;
      parent.rv = error;
      return true;
    }
    const child = new TaskImpl(gen, parent, this.boundary);
    schedule(child, NEXT, undefined);
    if (this.boundary) {
      // scoped(): the parent waits for the child and receives its failure.
      child.addWaiter(parent);
      parent.pending = child;
      return false;
    }
    parent.rk = NEXT;
    parent.rv = child;
    return true;
  }
}

/** Parks the task for `ms` milliseconds (forever for Infinity). */
export class SleepInstr extends OneShot implements TimerEntry, Pending {
  deadline = 0;
  seq = 0;
  live = false;
  ms: number;
  task: TaskImpl<unknown> | null = null;
  constructor(ms: number) {
    super();
    this.ms = ms;
  }
  enter(task: TaskImpl<unknown>): boolean {
    this.task = task;
    task.pending = this;
    if (this.ms !== Infinity) addTimer(this, this.ms);
    return false;
  }
  fire(): void {
    const t = this.task!;
    this.task = null;
    t.pending = null;
    schedule(t, NEXT, undefined);
  }
  unwait(): void {
    this.task = null;
    removeTimer(this);
  }
}

/** Awaits a promise (or calls a function and awaits what it returns). */
export class CallInstr extends OneShot implements Pending {
  source: unknown;
  task: TaskImpl<unknown> | null = null;
  controller: AbortController | null = null;
  constructor(source: unknown) {
    super();
    this.source = source;
  }
  enter(task: TaskImpl<unknown>): boolean {
    let v = this.source;
    if (typeof v === "function") {
      const controller = new AbortController();
      try {
        v = v(controller.signal);
      } catch (error) {
        task.rk = THROW;
        task.rv = error;
        return true;
      }
      if (
        v === null || (typeof v !== "object" && typeof v !== "function") ||
        typeof (v as PromiseLike<unknown>).then !== "function"
      ) {
        task.rk = NEXT;
        task.rv = v;
        return true;
      }
      this.controller = controller;
    }
    this.task = task;
    task.pending = this;
    Promise.resolve(v).then(
      (value) => this.settle(NEXT, value),
      (error) => this.settle(THROW, error),
    );
    return false;
  }
  settle(kind: Resume, value: unknown): void {
    const t = this.task;
    if (t === null) return;
    this.task = null;
    this.controller = null;
    t.pending = null;
    schedule(t, kind, value);
    drain();
  }
  unwait(): void {
    this.task = null;
    const c = this.controller;
    if (c !== null) {
      this.controller = null;
      c.abort(cancelledError());
    }
  }
}

/** Parks a task until the first of `tasks` settles; answers with its outcome. */
export class FirstOf extends OneShot implements Pending, Waiter {
  tasks: TaskImpl<unknown>[];
  waiter: TaskImpl<unknown> | null = null;
  constructor(tasks: TaskImpl<unknown>[]) {
    super();
    this.tasks = tasks;
  }
  enter(w: TaskImpl<unknown>): boolean {
    for (const t of this.tasks) {
      if (t.state === DONE) {
        deliver(w, t);
        return true;
      }
    }
    this.waiter = w;
    for (const t of this.tasks) t.addWaiter(this);
    w.pending = this;
    return false;
  }
  detach(): void {
    for (const t of this.tasks) t.removeWaiter(this);
  }
  unwait(): void {
    this.waiter = null;
    this.detach();
  }
  settled(t: TaskImpl<unknown>): void {
    const w = this.waiter!;
    this.waiter = null;
    this.detach();
    w.pending = null;
    deliver(w, t);
    schedule(w, w.rk, w.rv);
  }
}

// ---- roots -----------------------------------------------------------------------------------

class RootTimeout implements TimerEntry {
  deadline = 0;
  seq = 0;
  live = false;
  root: TaskImpl<unknown>;
  ms: number;
  constructor(root: TaskImpl<unknown>, ms: number) {
    this.root = root;
    this.ms = ms;
  }
  fire(): void {
    this.root.halt(
      new DOMException(`run() timed out after ${this.ms} ms`, "TimeoutError"),
    );
  }
}

class RootWaiter<T> implements Waiter {
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  timeout: RootTimeout | undefined;
  constructor(resolve: (value: T) => void, reject: (reason: unknown) => void) {
    this.resolve = resolve;
    this.reject = reject;
  }
  settled(t: TaskImpl<unknown>): void {
    if (this.onAbort !== undefined) this.signal!.removeEventListener("abort", this.onAbort);
    if (this.timeout !== undefined) removeTimer(this.timeout);
    if (t.outcome === OK) this.resolve(t.result as T);
    else this.reject(t.outcome === ERR ? t.result : t.result ?? cancelledError());
  }
}

/** Starts a root task; the promise settles after the task and all its descendants settled. */
export function runRoot<T>(
  gen: Iterator<unknown, T, unknown>,
  signal: AbortSignal | undefined,
  timeout: number | undefined,
): Promise<T> {
  const { promise, resolve, reject } = Promise.withResolvers<T>();
  const root = new TaskImpl<T>(gen, null, false) as TaskImpl<unknown>;
  const w = new RootWaiter<T>(resolve, reject);
  root.waiters = [w];
  if (signal !== undefined) {
    w.signal = signal;
    w.onAbort = () => {
      root.halt(signal.reason);
      drain();
    };
    signal.addEventListener("abort", w.onAbort, { once: true });
  }
  if (timeout !== undefined && timeout !== Infinity) {
    w.timeout = new RootTimeout(root, timeout);
    addTimer(w.timeout, timeout);
  }
  schedule(root, NEXT, undefined);
  drain();
  return promise;
}
