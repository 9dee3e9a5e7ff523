// Run with --v8-flags=--expose-gc by worker_pool_gc_test.ts: queues 100 tasks behind a busy
// worker, each with a buffer argument, aborts them, and counts how many buffers the GC can
// collect while the worker is still busy (nothing more was queued).
import { WorkerPool } from "../mod.ts";

const gc = (globalThis as unknown as { gc: () => void }).gc;
const pool = new WorkerPool<typeof import("./tasks.ts")>(new URL("./tasks.ts", import.meta.url), {
  size: 1,
});
const flag = new Int32Array(new SharedArrayBuffer(4));
const blocker = pool.run("spinUntil", [flag.buffer]);
const refs: WeakRef<ArrayBuffer>[] = [];
const controller = new AbortController();
// In a function of its own, so that no frame of this module holds a buffer.
function submit(): Promise<unknown> {
  const buffer = new ArrayBuffer(64 * 1024);
  refs.push(new WeakRef(buffer));
  return pool.run("byteLength", [buffer], { signal: controller.signal });
}
let tasks: Promise<unknown>[] = Array.from({ length: 100 }, submit);
controller.abort();
await Promise.allSettled(tasks);
tasks = [];
// WeakRef targets live until the end of the current job: collect in a later macrotask.
await new Promise((resolve) => setTimeout(resolve, 0));
gc();
await new Promise((resolve) => setTimeout(resolve, 0));
gc();
const collected = refs.filter((ref) => ref.deref() === undefined).length;
console.log(`collected ${collected} of ${refs.length}; queued ${pool.queued}`);
Atomics.store(flag, 0, 1);
await blocker;
await pool.close();
