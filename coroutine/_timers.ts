// Copyright 2025 the @effective/concurrency authors. MIT license.
// One host timer for every sleeping task: a binary heap ordered by (deadline, sequence), so
// timers due at the same moment fire in the order they were set. When no timer is live the host
// timer is cleared, so cancelling the last sleep leaves nothing behind.

/** A pending timer. Firing must not run user code (it only queues tasks). */
export interface TimerEntry {
  deadline: number;
  seq: number;
  live: boolean;
  /** Called once when the deadline passes (unless removed first). */
  fire(): void;
}

const MAX_DELAY = 2 ** 31 - 1;

const heap: TimerEntry[] = [];
/** `heap[i]` for an index known to be in range. */
function at(i: number): TimerEntry {
  return heap[i] as TimerEntry;
}
let live = 0;
let seq = 0;
let handle: ReturnType<typeof setTimeout> | undefined;
let armedFor = Infinity;
let afterFire: () => void = () => {};

/** Sets what runs after a batch of timers fired (the scheduler's drain). */
export function onTimersFired(fn: () => void): void {
  afterFire = fn;
}

function less(a: TimerEntry, b: TimerEntry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

function siftUp(i: number): void {
  const e = at(i);
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pe = at(p);
    if (!less(e, pe)) break;
    heap[i] = pe;
    i = p;
  }
  heap[i] = e;
}

function siftDown(i: number): void {
  const n = heap.length;
  const e = at(i);
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && less(at(r), at(l)) ? r : l;
    if (!less(at(c), e)) break;
    heap[i] = at(c);
    i = c;
  }
  heap[i] = e;
}

function pop(): TimerEntry {
  const top = at(0);
  const last = heap.pop() as TimerEntry;
  if (heap.length > 0) {
    heap[0] = last;
    siftDown(0);
  }
  return top;
}

function arm(): void {
  if (heap.length === 0) return;
  const deadline = at(0).deadline;
  if (handle !== undefined) {
    if (deadline >= armedFor) return;
    clearTimeout(handle);
  }
  armedFor = deadline;
  handle = setTimeout(fire, Math.min(MAX_DELAY, Math.max(0, deadline - performance.now())));
}

function fire(): void {
  handle = undefined;
  armedFor = Infinity;
  const now = performance.now();
  const due: TimerEntry[] = [];
  while (heap.length > 0 && (!at(0).live || at(0).deadline <= now)) {
    const e = pop();
    if (e.live) due.push(e);
  }
  // Fire in (deadline, seq) order; an earlier one may remove a later one (cancellation).
  for (let i = 0; i < due.length; i++) {
    const e = due[i] as TimerEntry;
    if (!e.live) continue;
    e.live = false;
    live--;
    e.fire();
  }
  if (live === 0) heap.length = 0;
  else arm();
  afterFire();
}

/** Starts `entry`, due `ms` milliseconds from now. */
export function addTimer(entry: TimerEntry, ms: number): void {
  entry.deadline = performance.now() + ms;
  entry.seq = seq++;
  entry.live = true;
  live++;
  heap.push(entry);
  siftUp(heap.length - 1);
  arm();
}

/** Stops `entry` if it has not fired; clears the host timer when it was the last one. */
export function removeTimer(entry: TimerEntry): void {
  if (!entry.live) return;
  entry.live = false;
  live--;
  if (live === 0) {
    heap.length = 0;
    if (handle !== undefined) {
      clearTimeout(handle);
      handle = undefined;
      armedFor = Infinity;
    }
  } else if (heap.length > 64 && heap.length > 2 * live) {
    // Drop removed entries so a long-lived timer does not pin many dead ones.
    let j = 0;
    for (let i = 0; i < heap.length; i++) if (at(i).live) heap[j++] = at(i);
    heap.length = j;
    for (let i = (j >> 1) - 1; i >= 0; i--) siftDown(i);
  }
}
