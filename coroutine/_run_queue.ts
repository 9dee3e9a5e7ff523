// Copyright 2025 the @effective/concurrency authors. MIT license.
// The run queue: a FIFO of tasks waiting to be stepped, threaded through the tasks themselves (no
// array, no allocation per wake-up). Whatever wakes a task calls `schedule`; `drain` steps queued
// tasks one at a time, so the interleaving depends only on the order of events, never on the
// host's microtask timing.

import { onTimersFired } from "./_timers.ts";

/** How a parked task is resumed: `next(value)` or `throw(value)` into its body. */
export const NEXT = 0, THROW = 1;
/** How a parked task is resumed: {@linkcode NEXT} or {@linkcode THROW}. */
export type ResumeKind = 0 | 1;

/** What the run queue holds: a task, seen only through the fields the queue uses. */
export interface Runnable {
  /** Whether it is in the queue now. */
  queued: boolean;
  /** The task after it in the queue. */
  nextInQueue: Runnable | null;
  resumeKind: ResumeKind;
  resumeValue: unknown;
  /** Runs the task until it parks or finishes (does nothing if it may not run now). */
  step(): void;
}

let head: Runnable | null = null;
let tail: Runnable | null = null;
let draining = false;
let running: Runnable | null = null;

/** Queues `task` to resume with (`kind`, `value`); a later call before it runs replaces both. */
export function schedule(task: Runnable, kind: ResumeKind, value: unknown): void {
  task.resumeKind = kind;
  task.resumeValue = value;
  if (!task.queued) {
    task.queued = true;
    if (tail === null) head = task;
    else tail.nextInQueue = task;
    tail = task;
  }
}

/** The task being stepped now, or null. */
export function runningTask(): Runnable | null {
  return running;
}

/** Whether `drain` is on the stack (then a wake-up needs no drain of its own). */
export function isDraining(): boolean {
  return draining;
}

/** Runs queued tasks until the queue is empty. Re-entrant calls return at once. */
export function drain(): void {
  if (draining) return;
  draining = true;
  try {
    let task: Runnable | null;
    while ((task = head) !== null) {
      head = task.nextInQueue;
      if (head === null) tail = null;
      task.nextInQueue = null;
      task.queued = false;
      running = task;
      task.step();
    }
  } finally {
    running = null;
    draining = false;
  }
}

onTimersFired(drain);
