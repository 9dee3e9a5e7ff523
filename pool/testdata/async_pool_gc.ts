// Run with --v8-flags=--expose-gc by async_pool_test.ts: queues 1000 tasks behind a blocked place,
// each closing over a buffer, aborts them, and counts how many buffers the GC can collect while
// the pool is still blocked.
import { AsyncPool } from "../mod.ts";

const gc = (globalThis as unknown as { gc: () => void }).gc;
const pool = new AsyncPool({ concurrency: 1 });
const block = Promise.withResolvers<void>();
const blocker = pool.run(() => block.promise);
const refs: WeakRef<Uint8Array>[] = [];
const controller = new AbortController();
const tasks: Promise<unknown>[] = [];
for (let i = 0; i < 1000; i++) {
  const buffer = new Uint8Array(1024);
  refs.push(new WeakRef(buffer));
  tasks.push(pool.run(() => buffer.length, { signal: controller.signal }));
}
controller.abort();
await Promise.allSettled(tasks);
tasks.length = 0;
// WeakRef targets live until the end of the current job: collect in a later macrotask.
await new Promise((resolve) => setTimeout(resolve, 0));
gc();
await new Promise((resolve) => setTimeout(resolve, 0));
gc();
const collected = refs.filter((ref) => ref.deref() === undefined).length;
console.log(`collected ${collected} of ${refs.length}; queued ${pool.queued}`);
block.resolve();
await blocker;
await pool.close();
