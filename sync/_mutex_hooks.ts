// Hooks the Mutex installs for Condition, which must let go of a lock it does not own a guard of
// and take it back for the same guard. Kept out of the public surface.
import type { Guard, WaitOptions } from "./types.ts";
import type { Mutex } from "./mutex.ts";

/** Filled in by `Mutex`'s static block. */
export const mutexHooks: {
  /** Releases `mutex` on behalf of its current owner and returns that owner's guard. */
  unlock(mutex: Mutex): Guard;
  /** `mutex.lock(options)`, with `call` naming the method in errors (`Condition.lock()`). */
  lockAs(mutex: Mutex, call: string, options: WaitOptions | undefined): Promise<Guard>;
  /** Waits (FIFO, not cancellable) to lock `mutex` again for `guard`. */
  relock(mutex: Mutex, guard: Guard): Promise<unknown>;
} = {
  unlock() {
    throw new Error("unreachable: Mutex not loaded");
  },
  lockAs() {
    throw new Error("unreachable: Mutex not loaded");
  },
  relock() {
    throw new Error("unreachable: Mutex not loaded");
  },
};
