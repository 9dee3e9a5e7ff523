// A worker for the shared-primitive tests. Each message names a task; the worker answers with
// one message when the task is done (or with { error } if it threw).
import { SharedBarrier, SharedMutex, SharedSemaphore } from "../mod.ts";

// deno-lint-ignore no-explicit-any
type Message = Record<string, any>;

let release: (() => void) | undefined;

async function run(data: Message): Promise<unknown> {
  switch (data.task) {
    case "count": {
      // Increment cell 0 `n` times, read-then-write, after all parties meet on the barrier.
      const mutex = SharedMutex.from(data.mutex);
      const barrier = SharedBarrier.from(data.barrier);
      const cells = new Int32Array(data.cells);
      // A plain read, then a plain write: torn by another worker unless a lock is held.
      const increment = (): void => {
        cells[0] = (cells[0] ?? 0) + 1;
      };
      barrier.waitSync();
      for (let i = 0; i < data.n; i++) {
        if (data.mode === "sync") {
          using _ = mutex.lockSync();
          increment();
        } else if (data.mode === "async") {
          using _ = await mutex.lock();
          increment();
        } else {
          increment();
        }
      }
      return "counted";
    }
    case "semaphore": {
      // Hold a permit `n` times; cell 0 counts holders now, cell 1 the most ever seen.
      const semaphore = SharedSemaphore.from(data.semaphore);
      const cells = new Int32Array(data.cells);
      for (let i = 0; i < data.n; i++) {
        using _ = data.async ? await semaphore.acquire() : semaphore.acquireSync();
        const now = Atomics.add(cells, 0, 1) + 1;
        for (let seen = Atomics.load(cells, 1); now > seen;) {
          const was = Atomics.compareExchange(cells, 1, seen, now);
          if (was === seen) break;
          seen = was;
        }
        for (let spin = 0; spin < 100; spin++) Atomics.load(cells, 0);
        Atomics.sub(cells, 0, 1);
      }
      return "held";
    }
    case "barrier": {
      // Meet `rounds` times; count each (round, index) pair in cells.
      const barrier = SharedBarrier.from(data.barrier);
      const cells = new Int32Array(data.cells);
      for (let round = 0; round < data.rounds; round++) {
        const index = data.async ? await barrier.wait() : barrier.waitSync();
        Atomics.add(cells, round * barrier.parties + index, 1);
      }
      return "met";
    }
    case "barrier-timeout": {
      const barrier = SharedBarrier.from(data.barrier);
      try {
        barrier.waitSync({ timeout: data.timeout });
        return "passed";
      } catch (error) {
        return (error as Error).name;
      }
    }
    case "barrier-wait": {
      const barrier = SharedBarrier.from(data.barrier);
      try {
        return await barrier.wait();
      } catch (error) {
        return (error as Error).name;
      }
    }
    case "hold": {
      // Lock and keep the lock until a "release" message.
      const mutex = SharedMutex.from(data.mutex);
      const guard = mutex.lockSync();
      release = () => guard.release();
      return "locked";
    }
    case "release": {
      release!();
      release = undefined;
      return "released";
    }
  }
  throw new Error(`unknown task ${data.task}`);
}

// The worker's global scope, typed here so the file checks with the window lib too.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (event: MessageEvent<Message>) => {
  run(event.data).then(
    (result) => scope.postMessage({ result }),
    (error) => scope.postMessage({ error: String(error) }),
  );
};
