// Draining an output pipe into memory while keeping what was read so far available.

/** Reads a stream to its end into chunks; `bytes()` is the output so far at any moment. */
export class Collector {
  #chunks: Uint8Array[] = [];
  #size = 0;
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #limit: number;
  /** Whether the stream has ended (or failed, or been cancelled). */
  finished = false;
  /** Whether more than `limit` bytes arrived: the rest was dropped and reading stopped. */
  overflowed = false;
  /** Settles when the stream has ended; rejects if reading failed. */
  readonly done: Promise<void>;

  /**
   * @param stream The pipe to drain.
   * @param limit The most bytes to keep; past it `onOverflow` is called once and reading stops.
   * @param onOverflow Told when the limit is passed.
   */
  constructor(
    stream: ReadableStream<Uint8Array>,
    limit = Infinity,
    onOverflow: () => void = () => {},
  ) {
    this.#reader = stream.getReader();
    this.#limit = limit;
    this.done = this.#pump(onOverflow);
  }

  async #pump(onOverflow: () => void): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await this.#reader.read();
        if (done) return;
        if (this.#size + value.length > this.#limit) {
          const room = this.#limit - this.#size;
          if (room > 0) this.#add(value.subarray(0, room));
          this.overflowed = true;
          await this.#reader.cancel().catch(() => {});
          onOverflow();
          return;
        }
        this.#add(value);
      }
    } finally {
      this.finished = true;
      this.#reader.releaseLock();
    }
  }

  #add(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
  }

  /** The bytes read so far, as one array. */
  bytes(): Uint8Array {
    const [only] = this.#chunks;
    if (this.#chunks.length === 1 && only !== undefined) return only;
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
