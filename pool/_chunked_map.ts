/** The chunking around `orderedMap` for `WorkerPool.map(…, { chunksize })`. */

import { addCallerFrames } from "./_revive.ts";
import type { ChunkOutcome } from "./_worker_slot.ts";

/**
 * Groups `items` into arrays of `size` (the last may be shorter). If `items` throws, the items
 * read before the error still form a last chunk, so they run, as with no chunking.
 */
export async function* chunks<T>(
  items: Iterable<T> | AsyncIterable<T>,
  size: number,
): AsyncGenerator<T[], void, undefined> {
  let chunk: T[] = [];
  try {
    for await (const item of items as AsyncIterable<T>) {
      chunk.push(item);
      if (chunk.length === size) {
        yield chunk;
        chunk = [];
      }
    }
  } catch (error) {
    if (chunk.length > 0) yield chunk;
    throw error;
  }
  if (chunk.length > 0) yield chunk;
}

/** Yields the values of each chunk's outcome in order, then its error, if it failed. */
export async function* flatten(
  outcomes: AsyncGenerator<unknown, void, undefined>,
): AsyncGenerator<unknown, void, undefined> {
  for await (const outcome of outcomes) {
    const { values, failed, error } = outcome as ChunkOutcome;
    yield* values;
    if (failed) {
      addCallerFrames(error, "WorkerPool.map()");
      throw error;
    }
  }
}
