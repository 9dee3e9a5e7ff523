import assert from "node:assert/strict";
import { withResolvers } from "./_options.ts";
import { addTimer, removeTimer, type TimerEntry } from "./_timers.ts";

class Entry implements TimerEntry {
  deadline = 0;
  seq = 0;
  live = false;
  constructor(readonly name: string, readonly log: string[], readonly onFire?: () => void) {}
  fire(): void {
    this.log.push(this.name);
    this.onFire?.();
  }
}

Deno.test("_timers: entries fire by deadline then insertion order; removed ones never fire", async () => {
  const log: string[] = [];
  const { promise, resolve } = withResolvers<void>();
  const entries: Entry[] = [];
  for (let i = 0; i < 300; i++) {
    const e = new Entry(String(i), log, () => {
      if (log.length === 150) resolve();
    });
    entries.push(e);
    addTimer(e, i % 3 === 0 ? 50 : 1);
  }
  // Remove most of them, forcing the heap to compact its dead entries.
  for (let i = 0; i < 300; i++) if (i % 2 === 1) removeTimer(entries[i] as Entry);
  removeTimer(entries[1] as Entry); // removing twice is harmless
  await promise;
  const kept = entries.filter((_, i) => i % 2 === 0);
  const early = kept.filter((_, k) => (k * 2) % 3 !== 0).map((e) => e.name);
  const late = kept.filter((_, k) => (k * 2) % 3 === 0).map((e) => e.name);
  // Entries with 1 ms fire before those with 50 ms; within each, in the order they were added
  // (equal delays added later have later deadlines, and equal deadlines go by sequence).
  assert.deepEqual(log, [...early, ...late]);
});

Deno.test("_timers: removing the last live entry clears the host timer", () => {
  const e = new Entry("x", []);
  addTimer(e, 60_000);
  removeTimer(e);
  // The op sanitizer fails this test if the 60 s host timer were still pending.
});
