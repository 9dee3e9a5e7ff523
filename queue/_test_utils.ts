// Test helpers (not part of the module; imported by *_test.ts files only).

/** The observable state of a promise, updated as it settles. */
export interface Tracked<T> {
  state: "pending" | "fulfilled" | "rejected";
  value?: T;
  reason?: unknown;
  promise: Promise<T>;
}

/** Watches `promise` without leaving an unhandled rejection. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const t: Tracked<T> = { state: "pending", promise };
  promise.then(
    (value) => {
      t.state = "fulfilled";
      t.value = value;
    },
    (reason) => {
      t.state = "rejected";
      t.reason = reason;
    },
  );
  return t;
}

/** Lets every pending promise reaction run (a bounded number of microtask turns). */
export async function flush(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

const WORKER = new URL("./testdata/shared_queue_worker.ts", import.meta.url);

/** A worker of testdata/shared_queue_worker.ts, with its next message as a promise. */
export class TestWorker {
  readonly worker = new Worker(WORKER, { type: "module" });
  #messages: unknown[] = [];
  #waiting: ((message: unknown) => void)[] = [];
  #error: unknown;

  constructor() {
    this.worker.onmessage = (event) => {
      const next = this.#waiting.shift();
      if (next) next(event.data);
      else this.#messages.push(event.data);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.#error = new Error(`worker failed: ${event.message}`);
      for (const next of this.#waiting.splice(0)) next(this.#error);
    };
  }

  /** Sends a command. */
  send(command: Record<string, unknown>): void {
    this.worker.postMessage(command);
  }

  /** The next message from the worker; rejects if the worker failed. */
  async next<T>(): Promise<T> {
    if (this.#error !== undefined) throw this.#error;
    const message = this.#messages.length > 0
      ? this.#messages.shift()
      : await new Promise((resolve) => this.#waiting.push(resolve));
    if (message === this.#error && this.#error !== undefined) throw this.#error;
    return message as T;
  }

  terminate(): void {
    this.worker.terminate();
  }
}
