// Test helper: spawns module workers running testdata/shared_worker.ts and terminates them.
// (A test-only helper; `_`-prefixed so it is not part of the public surface.)

/** A worker that answers one message per request. */
export class TestWorker implements Disposable {
  #worker: Worker;
  #replies: PromiseWithResolvers<unknown>[] = [];

  constructor() {
    this.#worker = new Worker(new URL("./shared_worker.ts", import.meta.url), {
      type: "module",
    });
    this.#worker.onmessage = (event: MessageEvent<{ result?: unknown; error?: string }>) => {
      const reply = this.#replies.shift()!;
      if (event.data.error !== undefined) reply.reject(new Error(event.data.error));
      else reply.resolve(event.data.result);
    };
    this.#worker.onerror = (event) => {
      event.preventDefault();
      for (const reply of this.#replies.splice(0)) reply.reject(new Error(event.message));
    };
  }

  /** Sends a task and resolves with the worker's answer. */
  run(task: Record<string, unknown>): Promise<unknown> {
    const reply = Promise.withResolvers<unknown>();
    this.#replies.push(reply);
    this.#worker.postMessage(task);
    return reply.promise;
  }

  [Symbol.dispose](): void {
    this.#worker.terminate();
  }
}

/** Spawns `n` workers in a disposable stack that terminates them all. */
export function spawnWorkers(n: number): TestWorker[] & Disposable {
  const workers = Array.from({ length: n }, () => new TestWorker()) as
    & TestWorker[]
    & Disposable;
  workers[Symbol.dispose] = () => {
    for (const worker of workers) worker[Symbol.dispose]();
  };
  return workers;
}
