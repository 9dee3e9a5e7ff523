// Faults in WorkerPool workers, in the middle of a batch of tasks: a worker that throws outside
// its task, leaves a rejection unhandled, calls self.close() or Deno.exit(), or allocates until an
// allocation fails, while other tasks post stray messages on the worker's own channel; a task
// module that throws at load; a worker that exhausts the V8 heap. Invariant: only the task that
// was running on the dying worker fails, with a WorkerCrashed naming it; every other task of the
// batch resolves with its own result; the pool keeps working with at most `size` workers; no
// worker, port or timer leaks (sanitizers on).
import assert from "node:assert/strict";
import { ModuleLoadError, WorkerCrashed, WorkerPool } from "../pool/mod.ts";
import { prng, repeats, Tally } from "./_harness.ts";
import type * as Tasks from "./testdata/faulty_tasks.ts";

const TASKS = new URL("./testdata/faulty_tasks.ts", import.meta.url);
const FAULTS = [
  "throwOutside",
  "rejectUnhandled",
  "closeSelf",
  "allocateUntilFailure",
  "exitWorker",
] as const;
const CAUSES: Record<(typeof FAULTS)[number], RegExp> = {
  throwOutside: /thrown outside the task/,
  rejectUnhandled: /rejection nobody handles/,
  closeSelf: /self\.close\(\)/,
  allocateUntilFailure: /allocation failed/i,
  exitWorker: /exited with code 3/,
};

Deno.test("WorkerPool: workers dying mid-batch (throw outside a task, unhandled rejection, self.close(), Deno.exit(), allocation failure) fail only their own task; stray messages change nothing", async () => {
  const tally = new Tally("pool", "WorkerPool crashes mid-batch", "tasks");
  try {
    for (let run = 0; run < repeats(); run++) {
      const random = prng(7 + run);
      await using pool = new WorkerPool<typeof Tasks>(TASKS, { size: 3 });
      await pool.ready();
      const batch: Promise<void>[] = [];
      let crashed = 0;
      let completed = 0;
      for (let i = 0; i < 60; i++) {
        if (i % 6 === 3) {
          const fault = FAULTS[Math.floor(random() * FAULTS.length)] ?? FAULTS[0];
          batch.push(
            pool.run(fault, []).then(
              () => assert.fail(`${fault} resolved`),
              (error) => {
                assert.ok(error instanceof WorkerCrashed, `${fault}: ${error}`);
                assert.equal(error.task, fault);
                assert.match(error.message, new RegExp(`'${fault}'`));
                assert.match(error.message, CAUSES[fault]);
                crashed++;
              },
            ),
          );
        } else {
          const ms = Math.floor(random() * 4);
          // Some tasks post stray messages on the worker's own channel: they must change nothing.
          const task = i % 5 === 0
            ? pool.run("strayAdd", [i, 1000])
            : pool.run("slowAdd", [i, 1000, ms]);
          batch.push(
            task.then((sum) => {
              assert.equal(sum, i + 1000, `task ${i} got another task's result`);
              completed++;
            }),
          );
        }
      }
      await Promise.all(batch);
      assert.equal(crashed, 10);
      assert.equal(completed, 50, "a task next to a crash was lost");
      // Back to full strength, and still working.
      // Workers start on demand: a crashed one is replaced while tasks wait, so at most `size`.
      assert.ok(pool.workers >= 1 && pool.workers <= 3, `${pool.workers} workers`);
      assert.equal(pool.running, 0);
      assert.equal(pool.queued, 0);
      assert.deepEqual(
        await Promise.all([0, 1, 2, 3].map((i) => pool.run("slowAdd", [i, 1, 0]))),
        [1, 2, 3, 4],
      );
      await pool.close();
      tally.runs++;
      tally.faults += crashed;
      tally.items += completed + 4;
    }
  } finally {
    tally.flush();
  }
});

Deno.test("WorkerPool: a task module that throws at load fails every task with ModuleLoadError and leaks nothing", async () => {
  const tally = new Tally("pool", "WorkerPool module throws at load", "tasks");
  try {
    for (let run = 0; run < repeats(); run++) {
      const url = new URL("./testdata/throws_at_load.ts", import.meta.url);
      await using pool = new WorkerPool(url, { size: 2 });
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => pool.run("anything", [i])),
      );
      for (const r of results) {
        assert.equal(r.status, "rejected");
        const error = (r as PromiseRejectedResult).reason;
        assert.ok(error instanceof ModuleLoadError, `${error}`);
        assert.equal(error.url, url.href);
        assert.match(error.message, /thrown at load/);
      }
      await pool.close();
      tally.runs++;
      tally.faults += results.length;
    }
  } finally {
    tally.flush();
  }
});

Deno.test("WorkerPool: a worker that exhausts the V8 heap ends its whole process (Deno cannot bound a worker's heap); a child process contains it", async () => {
  const tally = new Tally("pool", "WorkerPool worker exhausts the heap", "tasks");
  try {
    const fixture = new URL("./testdata/oom_pool.ts", import.meta.url);
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--v8-flags=--max-old-space-size=64", fixture.pathname],
      stdin: "null",
    }).output();
    const out = new TextDecoder().decode(stdout);
    const err = new TextDecoder().decode(stderr);
    // The ordinary tasks before it completed; then the process died of the heap, not the test.
    assert.match(out, /^ordinary: \[1,2,3,4,5,6,7,8,9,10\]$/m);
    assert.doesNotMatch(out, /^hog:/m);
    assert.notEqual(code, 0);
    assert.match(err, /heap limit|out of memory/i);
    tally.runs++;
    tally.faults++;
    tally.items += 10;
  } finally {
    tally.flush();
  }
});
