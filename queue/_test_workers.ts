// Test helpers for SharedQueue's worker tests (imported by *_test.ts files only).

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
