// Hooks the Mutex installs for Condition, which must let go of a lock it does not own a guard of
// and take it back for the same guard. Kept out of the public surface.
import type { Guard } from "./types.ts";
import type { Mutex } from "./mutex.ts";

/** Filled in by `Mutex`'s static block. */
export const mutexHooks: {
  /** Releases `mutex` on behalf of its current owner and returns that owner's guard. */
  unlock(mutex: Mutex): Guard;
  /** Waits (FIFO, not cancellable) to lock `mutex` again for `guard`. */
  relock(mutex: Mutex, guard: Guard): Promise<unknown>;
} = {
  unlock() {
    throw new Error("unreachable: Mutex not loaded");
  },
  relock() {
    throw new Error("unreachable: Mutex not loaded");
  },
};
