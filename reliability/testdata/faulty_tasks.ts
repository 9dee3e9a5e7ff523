// Task module for the WorkerPool fault tests: ordinary tasks, and tasks that kill their worker
// in the ways a worker can die while running a task.

/** Adds after `ms` milliseconds, so that tasks overlap with the crashes on other workers. */
export async function slowAdd(a: number, b: number, ms: number): Promise<number> {
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  return a + b;
}

/** Throws outside the task (an uncaught error in a timer), leaving the task pending. */
export function throwOutside(): Promise<never> {
  setTimeout(() => {
    throw new Error("thrown outside the task");
  }, 0);
  return new Promise(() => {});
}

/** Rejects a promise nobody handles, leaving the task pending. */
export function rejectUnhandled(): Promise<never> {
  Promise.reject(new Error("rejection nobody handles"));
  return new Promise(() => {});
}

/** Ends its own worker. */
export function closeSelf(): Promise<never> {
  (globalThis as unknown as { close(): void }).close();
  return new Promise(() => {});
}

/** Ends its worker with `Deno.exit(3)` from inside the task. */
export function exitWorker(): never {
  Deno.exit(3);
}

/** Posts on the worker's own channel, as a careless progress report would, then adds. */
export function strayAdd(a: number, b: number): number {
  (globalThis as unknown as { postMessage(value: unknown): void }).postMessage(a + b + 1);
  return a + b;
}

/**
 * Allocates until an allocation fails, outside the task: buffers of doubling size (reserved, not
 * touched, so little real memory is used) until the allocator refuses, which is uncaught.
 */
export function allocateUntilFailure(): Promise<never> {
  setTimeout(() => {
    const kept: ArrayBuffer[] = [];
    for (let size = 2 ** 20;; size *= 2) kept.push(new ArrayBuffer(size));
  }, 0);
  return new Promise(() => {});
}

/** Exhausts the V8 heap for real (only run in a child process with a small heap). */
export function exhaustHeap(): number {
  const kept: number[][] = [];
  for (;;) kept.push(new Array(1_000_000).fill(1));
}
