// The ordered, bounded map of RedisPool.map(): at most `window` tasks submitted and not yet
// yielded, results in input order. The pending results sit in a ring buffer (no shift()).

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Submits `submit(item, stop)` for each item, at most `window` ahead of the consumer, and yields
 * the results in order. `stop` aborts when the caller's `signal` does or when the iteration ends
 * early (error, `break`, `return()`), so tasks still waiting are removed.
 */
export async function* orderedMap(
  items: Iterable<unknown> | AsyncIterable<unknown>,
  window: number,
  signal: AbortSignal | undefined,
  submit: (item: unknown, stop: AbortSignal) => Promise<unknown>,
): AsyncGenerator<unknown, void, undefined> {
  const own = new AbortController();
  const stop = signal === undefined ? own.signal : AbortSignal.any([signal, own.signal]);
  const iterator = Symbol.asyncIterator in items
    ? (items as AsyncIterable<unknown>)[Symbol.asyncIterator]()
    : (items as Iterable<unknown>)[Symbol.iterator]();
  let ring: (Promise<Settled> | undefined)[] = new Array(Math.min(window, 1024));
  let head = 0;
  let size = 0;
  let done = false;
  let finished = false;
  try {
    while (true) {
      while (!done && size < window) {
        if (stop.aborted) throw stop.reason;
        const next = await iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        // Aborted while the input was read: this item is not submitted at all.
        if (stop.aborted) throw stop.reason;
        if (size === ring.length) {
          // Grow (only while `window` exceeds the first allocation), keeping the order.
          const grown: (Promise<Settled> | undefined)[] = new Array(ring.length * 2);
          for (let i = 0; i < size; i++) grown[i] = ring[(head + i) % ring.length];
          ring = grown; // not push(...grown): a spread of 10^5+ items overflows the stack
          head = 0;
        }
        ring[(head + size) % ring.length] = submit(next.value, stop).then(
          (value): Settled => ({ ok: true, value }),
          (error): Settled => ({ ok: false, error }),
        );
        size++;
      }
      if (size === 0) break;
      const result = await ring[head]!;
      ring[head] = undefined;
      head = (head + 1) % ring.length;
      size--;
      if (!result.ok) throw result.error;
      yield result.value;
    }
    finished = true;
  } finally {
    if (!finished) {
      own.abort(new DOMException("The map ended early", "AbortError"));
      if (!done) await iterator.return?.();
    }
  }
}
