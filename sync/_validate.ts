// The checks of sync/ that `_options.ts` does not hold: reading a wait's options for a method
// that returns a promise, and the errors of misused guards and conditions.
import { checkTimeout, readOptions, readWait } from "./_options.ts";
import type { Wait } from "./_options.ts";
import type { BlockingWaitOptions, WaitOptions } from "./types.ts";

/** The wait of a call given no options. */
export const NO_WAIT: Wait = Object.freeze({ signal: undefined, timeout: undefined });

/**
 * Reads a wait's `{ signal, timeout }` (each once) for a method that returns a promise. Returns
 * the wait, or the rejected promise the method must return instead: malformed options, a
 * throwing getter, or an already-aborted signal. Never throws.
 */
export function beginWait(call: string, options: WaitOptions | undefined): Wait | Promise<never> {
  if (options === undefined) return NO_WAIT;
  let wait: Wait;
  try {
    wait = readWait(call, options);
  } catch (error) {
    return Promise.reject(error);
  }
  if (wait.signal?.aborted) return Promise.reject(wait.signal.reason);
  return wait;
}

/** Reads a blocking call's `{ timeout }` (once); throws on malformed options. */
export function readBlockingTimeout(
  call: string,
  options: BlockingWaitOptions | undefined,
): number | undefined {
  if (options === undefined) return undefined;
  const { timeout } = readOptions(call, options);
  return checkTimeout(call, "timeout", timeout);
}

/** The error for releasing a guard twice. */
export function releasedTwice(kind: string): Error {
  return new Error(`Cannot release ${kind} guard: it was already released`);
}
