/** The waits of the pools (`join()`, `ready()`, a `map()` waiting for room), and their wake-ups. */

import { armWait, type Wait, withResolvers } from "./_options.ts";

/** Waits in `waiters` until called; `wait`'s signal or timeout rejects and leaves the set. */
export function waitIn(
  waiters: Set<(ok: boolean) => void>,
  call: string,
  wait: Wait,
): Promise<boolean> {
  const { promise, resolve, reject } = withResolvers<boolean>();
  const waiter = (ok: boolean) => {
    disarm();
    resolve(ok);
  };
  waiters.add(waiter);
  const disarm = armWait(call, wait, (reason) => {
    waiters.delete(waiter);
    reject(reason);
  });
  return promise;
}

/** Calls every waiter with `ok`, emptying the set. */
export function wakeAll(waiters: Set<(ok: boolean) => void>, ok: boolean): void {
  const all = [...waiters];
  waiters.clear();
  for (const waiter of all) waiter(ok);
}
