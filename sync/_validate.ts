// The checks of sync/ that `_options.ts` does not hold: a blocking call's timeout, and the errors
// of misused guards and conditions.
import { checkTimeout, readOptions } from "./_options.ts";
import type { BlockingWaitOptions } from "./types.ts";

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
