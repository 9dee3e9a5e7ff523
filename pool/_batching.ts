/**
 * When a `WorkerPool` sends several queued `run()`s to a worker as one job: only while tasks are
 * tiny (the round trip, not the work, would dominate), a fair share of the queue, and only plain
 * calls (a signal or timeout stops one task by ending its worker; a batch is one message).
 */

import type { Task } from "./_worker_slot.ts";

/** Batch queued `run()`s while a task takes less than this (ms) on average, round trip. */
const TINY_TASK_MS = 1;
/** Aim for batches of about this long (ms), so results do not wait long behind each other. */
const BATCH_MS = 4;
/** The most tasks in one batch. */
const MAX_BATCH = 1024;

/** Whether `task` may share a job with others: no signal, timeout, transfer list or chunk. */
export function batchable(task: Task): boolean {
  return task.signal === undefined && task.timeout === undefined &&
    task.transfer === undefined && task.items === undefined;
}

/** The moving average of a task's round trip (ms), `Infinity` before the first. */
export function averageTaskMs(average: number, ms: number): number {
  return average === Infinity ? ms : average * 0.75 + ms * 0.25;
}

/**
 * The most tasks to send in the next job: 1 unless tasks are tiny; else a fair share of the
 * `waiting` tasks among `size` workers, within the time aimed at and the `room` left on the worker.
 */
export function batchLimit(taskMs: number, waiting: number, size: number, room: number): number {
  if (!(taskMs < TINY_TASK_MS)) return 1;
  return Math.min(
    Math.ceil(waiting / size),
    Math.floor(BATCH_MS / Math.max(taskMs, 0.001)),
    MAX_BATCH,
    room,
  );
}
