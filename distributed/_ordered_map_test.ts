import assert from "node:assert/strict";
import { orderedMap } from "./_ordered_map.ts";
import { withResolvers } from "./_options.ts";

Deno.test("orderedMap() with a window of 10^6 grows its ring past 10^5 pending tasks, in order", async () => {
  const count = 200_000;
  let submitted = 0;
  const { promise: allSubmitted, resolve } = withResolvers<void>();
  // Nothing settles until every item is submitted: the ring holds all of them at once.
  const results = orderedMap(
    Array.from({ length: count }, (_, i) => i),
    1_000_000,
    undefined,
    async (item) => {
      if (++submitted === count) resolve();
      await allSubmitted;
      return item;
    },
  );
  let expected = 0;
  for await (const value of results) assert.equal(value, expected++);
  assert.equal(expected, count);
});
