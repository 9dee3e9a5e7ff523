// A worker for the SharedQueue tests: attaches to the queue posted to it and plays one role.
//
// - "producer": puts `count` numbers (`id * 1_000_000 + i`), some with a signal or timeout that
//   may abort the put, and reports the numbers accepted.
// - "consumer": takes items until the queue is closed and drained, some gets with a signal or
//   timeout that may abort them, marks each done, and reports the numbers received. With
//   `iterate`, it uses `for await` instead.
// - "hold": takes one item, reports it and never marks it done (the test terminates it).
// - "stage": a pipeline stage: takes from `buffer`, puts `fn(item)` into `output` (a stage
//   function named by `fn`), and closes `output` when the input is drained if `closeOutput`.
import { QueueClosed, SharedQueue } from "../mod.ts";

// The worker's global scope, typed here so the file checks with the window lib too.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Command>) => void) | null;
  postMessage(message: unknown): void;
};

interface Command {
  role: "producer" | "consumer" | "hold";
  buffer: SharedArrayBuffer;
  id: number;
  count: number;
  seed: number;
  iterate?: boolean;
}

/** mulberry32: a small seeded generator, so a failing run can be replayed by its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options that may cancel the call: pre-aborted, aborted a turn later, or timeout 0. */
function maybeCancel(rand: () => number): { signal?: AbortSignal; timeout?: number } | undefined {
  const r = rand();
  if (r < 0.03) return { signal: AbortSignal.abort(new Error("pre-aborted")) };
  if (r < 0.12) {
    const controller = new AbortController();
    queueMicrotask(() => controller.abort(new Error("aborted")));
    return { signal: controller.signal };
  }
  if (r < 0.18) return { timeout: 0 };
  return undefined;
}

const isCancel = (error: unknown) =>
  error instanceof Error && (error.message === "aborted" || error.message === "pre-aborted") ||
  error instanceof DOMException && error.name === "TimeoutError";

scope.onmessage = async (event: MessageEvent<Command>) => {
  const { role, buffer, id, count, seed, iterate } = event.data;
  const queue = SharedQueue.from<number>(buffer);
  const rand = random(seed);
  let cancelled = 0;
  if (role === "producer") {
    const accepted: number[] = [];
    for (let i = 0; i < count; i++) {
      const item = id * 1_000_000 + i;
      try {
        await queue.put(item, maybeCancel(rand));
        accepted.push(item);
      } catch (error) {
        if (!isCancel(error)) throw error;
        cancelled++;
      }
    }
    scope.postMessage({ accepted, cancelled });
  } else if (role === "consumer") {
    const received: number[] = [];
    if (iterate) {
      for await (const item of queue) received.push(item);
    } else {
      for (;;) {
        let item: number;
        try {
          item = await queue.get(maybeCancel(rand));
        } catch (error) {
          if (error instanceof QueueClosed) break;
          if (!isCancel(error)) throw error;
          cancelled++;
          continue;
        }
        received.push(item);
        queue.taskDone();
      }
    }
    scope.postMessage({ received, cancelled });
  } else if (role === "hold") {
    const item = await queue.get();
    scope.postMessage({ took: item });
  }
};
