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

// Python's test_free_reference: the map's iterator keeps no reference to a result it yielded.
const mapped = new AsyncPool({ concurrency: 2 });
const results = mapped.map(() => new Uint8Array(1024), [1, 2, 3]);
// In a function of its own, so that this module's frame holds no reference to the result.
async function firstResult(): Promise<WeakRef<Uint8Array>> {
  const first = await results.next();
  if (first.done) throw new Error("no result");
  return new WeakRef(first.value);
}
const yielded = await firstResult();
await new Promise((resolve) => setTimeout(resolve, 0));
gc();
await new Promise((resolve) => setTimeout(resolve, 0));
gc();
console.log(`map kept the yielded result: ${yielded.deref() !== undefined}`);
await results.return();
await mapped.close();
