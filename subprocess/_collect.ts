// Draining an output pipe into memory while keeping what was read so far available.

/** Reads a stream to its end into chunks; `bytes()` is the output so far at any moment. */
export class Collector {
  #chunks: Uint8Array[] = [];
  #size = 0;
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  /** Whether the stream has ended (or failed, or been cancelled). */
  finished = false;
  /** Settles when the stream has ended; rejects if reading failed. */
  readonly done: Promise<void>;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
    this.done = this.#pump();
  }

  async #pump(): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await this.#reader.read();
        if (done) return;
        this.#chunks.push(value);
        this.#size += value.length;
      }
    } finally {
      this.finished = true;
      this.#reader.releaseLock();
    }
  }

  /** The bytes read so far, as one array. */
  bytes(): Uint8Array {
    if (this.#chunks.length === 1) return this.#chunks[0];
    const all = new Uint8Array(this.#size);
    let at = 0;
    for (const chunk of this.#chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    this.#chunks = [all];
    return all;
  }

  /** Stops reading and closes the pipe; what was read stays available. */
  async cancel(): Promise<void> {
    if (this.finished) return;
    await this.#reader.cancel().catch(() => {});
    await this.done.catch(() => {});
  }
}
