// Halt properties of coroutine/: random task trees whose cleanups pause inside delegated
// helpers, cancelled at a point of fast-check's choosing while promises settle in a random order.
// After every run: the run settled (rejected with the abort reason unless it had returned), every
// cleanup that started finished (one entered normally is shielded), no code after a halted
// `yield*` ran, and nothing (no timer, no task) is left behind.
import fc from "fast-check";
import assert from "node:assert/strict";
import { call, type Operation, run, shield, sleep, spawn } from "../coroutine/mod.ts";
import { property, runs, settle, Tally } from "./_harness.ts";

interface Node {
  children: Node[];
  /** How the node's cleanup behaves: no finally, a synchronous one, or one that pauses. */
  cleanup: "none" | "sync" | "pause";
  /** Whether the node's work runs inside a `yield*`-delegated helper. */
  delegated: boolean;
  /** Pauses (scheduled promises) before the node parks for good, or returns. */
  pauses: number;
  /** Whether the node returns after its pauses instead of parking forever. */
  returns: boolean;
}

function nodeOfDepth(depth: number): fc.Arbitrary<Node> {
  return fc.record({
    children: depth === 0 ? fc.constant([]) : fc.array(nodeOfDepth(depth - 1), { maxLength: 3 }),
    cleanup: fc.constantFrom<Node["cleanup"]>("none", "sync", "pause"),
    delegated: fc.boolean(),
    pauses: fc.integer({ min: 0, max: 2 }),
    returns: fc.boolean(),
  });
}

const node = nodeOfDepth(3);

const tally = new Tally("coroutine", "halt trees", "tasks");

Deno.test("run(): random trees cancelled at random points finish every cleanup and leak nothing", async () => {
  await property(
    tally,
    fc.asyncProperty(fc.scheduler(), node, fc.nat(6), async (s, tree, abortAfter) => {
      tally.runs++;
      const log: string[] = [];
      let ids = 0;
      const pause = () => call(s.schedule(Promise.resolve(), "pause"));

      function body(n: Node, id: number): () => Operation<void> {
        function* work(): Operation<void> {
          try {
            for (const child of n.children) yield* spawn(body(child, ++ids));
            for (let i = 0; i < n.pauses; i++) yield* pause();
            if (!n.returns) yield* sleep(Infinity);
          } finally {
            if (n.cleanup !== "none") {
              log.push(`start ${id}`);
              if (n.cleanup === "pause" && n.returns) {
                // A finally entered normally (the node returned) is cut by a later cancel
                // unless shielded (and the cancel is thrown as the shield returns); one entered
                // by the cancel never is.
                yield* shield(function* () {
                  yield* pause();
                  log.push(`end ${id}`);
                });
              } else {
                if (n.cleanup === "pause") yield* pause();
                log.push(`end ${id}`);
              }
            }
          }
        }
        return function* () {
          tally.items++;
          if (n.delegated) {
            yield* work();
            if (!n.returns) log.push(`LEAK ${id}`); // a halted helper must not return here
          } else yield* work();
        };
      }

      const controller = new AbortController();
      const reason = new Error("abort");
      const done = run(body(tree, 0), { signal: controller.signal }).then(
        () => "resolved",
        (error) => error,
      );
      // The abort comes after `abortAfter` scheduled steps (or once nothing else can happen).
      let steps = 0;
      const aborter = (async () => {
        while (steps < abortAfter && s.count() > 0) {
          await s.waitOne();
          steps++;
        }
        tally.faults++;
        controller.abort(reason);
      })();
      await aborter;
      await settle(s);
      const outcome = await done;
      tally.steps += steps;

      assert.ok(!log.some((line) => line.startsWith("LEAK")), log.join(", "));
      for (const line of log) {
        if (line.startsWith("start ")) {
          assert.ok(log.includes(`end ${line.slice(6)}`), log.join(", "));
        }
      }
      // The root either returned before the abort (its children torn down) or was cancelled.
      assert.ok(outcome === "resolved" || outcome === reason, String(outcome));
    }),
    runs(200),
  );
});
