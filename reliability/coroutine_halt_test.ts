// Halt properties of coroutine/: random task trees whose cleanups pause inside delegated
// helpers, cancelled at a point of fast-check's choosing while promises settle in a random order.
// After every run: the run settled (rejected with the abort reason unless it had returned), every
// cleanup that started finished (one entered normally is shielded), no code after a halted
// `yield*` ran, and nothing (no timer, no task) is left behind. The second property adds cleanups
// that throw (some after pausing): the run then rejects with every one of those errors, none lost.
import fc from "fast-check";
import assert from "node:assert/strict";
import { call, type Operation, run, shield, sleep, spawn } from "../coroutine/mod.ts";
import { property, runs, settle, Tally } from "./_harness.ts";

interface Node {
  children: Node[];
  /**
   * How the node's cleanup behaves: no finally, a synchronous one, one that pauses, one that
   * throws, or one that pauses and then throws.
   */
  cleanup: "none" | "sync" | "pause" | "throw" | "pauseThrow";
  /** Whether the node's work runs inside a `yield*`-delegated helper. */
  delegated: boolean;
  /** Pauses (scheduled promises) before the node parks for good, or returns. */
  pauses: number;
  /** Whether the node returns after its pauses instead of parking forever. */
  returns: boolean;
}

function nodeOfDepth(depth: number, kinds: Node["cleanup"][]): fc.Arbitrary<Node> {
  return fc.record({
    children: depth === 0
      ? fc.constant([])
      : fc.array(nodeOfDepth(depth - 1, kinds), { maxLength: 3 }),
    cleanup: fc.constantFrom(...kinds),
    delegated: fc.boolean(),
    pauses: fc.integer({ min: 0, max: 2 }),
    returns: fc.boolean(),
  });
}

const node = nodeOfDepth(3, ["none", "sync", "pause"]);
const failingNode = nodeOfDepth(3, ["none", "sync", "pause", "throw", "pauseThrow"]);

const tally = new Tally("coroutine", "halt trees", "tasks");

/** What one random run did: its log, the errors its cleanups threw, and how it settled. */
interface Outcome {
  log: string[];
  thrown: Error[];
  outcome: unknown;
  reason: Error;
}

async function cancelTreeAt(s: fc.Scheduler, tree: Node, abortAfter: number): Promise<Outcome> {
  tally.runs++;
  const log: string[] = [];
  const thrown: Error[] = [];
  let ids = 0;
  const pause = () => call(s.schedule(Promise.resolve(), "pause"));
  const fail = (id: number): never => {
    const error = new Error(`cleanup ${id} failed`);
    thrown.push(error);
    throw error;
  };

  function body(n: Node, id: number): () => Operation<void> {
    function* work(): Operation<void> {
      try {
        for (const child of n.children) yield* spawn(body(child, ++ids));
        for (let i = 0; i < n.pauses; i++) yield* pause();
        if (!n.returns) yield* sleep(Infinity);
      } finally {
        const pauses = n.cleanup === "pause" || n.cleanup === "pauseThrow";
        const throws = n.cleanup === "throw" || n.cleanup === "pauseThrow";
        if (n.cleanup !== "none") {
          log.push(`start ${id}`);
          if (pauses && n.returns) {
            // A finally entered normally (the node returned) is cut by a later cancel
            // unless shielded (and the cancel is thrown as the shield returns); one entered
            // by the cancel never is.
            yield* shield(function* () {
              yield* pause();
              log.push(`end ${id}`);
              if (throws) fail(id);
            });
          } else {
            if (pauses) yield* pause();
            log.push(`end ${id}`);
            if (throws) fail(id);
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
  return { log, thrown, outcome, reason };
}

/** The errors an outcome carries: an AggregateError's (nested ones flattened), or itself. */
function leaves(error: unknown): unknown[] {
  if (!(error instanceof AggregateError)) return [error];
  // As designed: the first error is the cause, and the group has two or more.
  assert.equal(error.cause, error.errors[0]);
  assert.ok(error.errors.length >= 2);
  return error.errors.flatMap(leaves);
}

Deno.test("run(): random trees cancelled at random points finish every cleanup and leak nothing", async () => {
  await property(
    tally,
    fc.asyncProperty(fc.scheduler(), node, fc.nat(6), async (s, tree, abortAfter) => {
      const { outcome, reason } = await cancelTreeAt(s, tree, abortAfter);
      // The root either returned before the abort (its children torn down) or was cancelled.
      assert.ok(outcome === "resolved" || outcome === reason, String(outcome));
    }),
    runs(200),
  );
});

Deno.test("run(): random trees whose cleanups throw (some after pausing) reject with every error", async () => {
  let multiErrorRuns = 0;
  await property(
    tally,
    fc.asyncProperty(fc.scheduler(), failingNode, fc.nat(6), async (s, tree, abortAfter) => {
      const { thrown, outcome, reason } = await cancelTreeAt(s, tree, abortAfter);
      if (thrown.length === 0) {
        assert.ok(outcome === "resolved" || outcome === reason, String(outcome));
        return;
      }
      assert.notEqual(outcome, "resolved");
      const carried = leaves(outcome);
      // Every cleanup error is in the rejection, each once; the abort reason is no failure.
      assert.deepEqual(carried.toSorted(byMessage), thrown.toSorted(byMessage));
      tally.faults += thrown.length;
      if (thrown.length > 1) multiErrorRuns++;
    }),
    runs(200),
  );
  // The trees did make several cleanups fail at once (the AggregateError path).
  assert.ok(multiErrorRuns > 0, "no run had two failing cleanups");
});

function byMessage(a: unknown, b: unknown): number {
  return String((a as Error).message).localeCompare(String((b as Error).message));
}
