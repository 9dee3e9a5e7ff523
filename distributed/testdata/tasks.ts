// Task module of the distributed tests: plain exported functions, as for WorkerPool.

/** Item 41's gcd, by counting down. */
export function gcd([a, b]: [number, number]): number {
  const low = Math.min(a, b);
  for (let i = low; i > 0; i--) {
    if (a % i === 0 && b % i === 0) return i;
  }
  return 1;
}

export function add(a: number, b: number): number {
  return a + b;
}

export async function echo<T>(value: T): Promise<T> {
  await Promise.resolve();
  return value;
}

export function nothing(): void {}

export function fail(message: string): never {
  const error = new RangeError(message, { cause: new Error("the cause") });
  Object.assign(error, { code: "E_TASK" });
  throw error;
}

export function badResult(): Date {
  return new Date(0);
}

/**
 * Waits on two FIFOs: writes `tag` to `started` (which blocks until the test reads it), then reads
 * `release` (which blocks until the test writes it) and returns what was written there.
 */
export async function gate(started: string, release: string, tag: string): Promise<string> {
  await Deno.writeTextFile(started, tag);
  return await Deno.readTextFile(release);
}

/** Appends `word` and a newline to the file `path`: a visible trace that the task ran. */
export async function note(path: string, word: string): Promise<string> {
  await Deno.writeTextFile(path, `${word}\n`, { append: true });
  return word;
}

/** note() for map(): one argument, `[path, word]`. */
export function notePair([path, word]: [string, string]): Promise<string> {
  return note(path, word);
}
