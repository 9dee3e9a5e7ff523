import assert from "node:assert/strict";
import { TOPICS } from "./closed_rooms.ts";

const root = new URL("../", import.meta.url);

Deno.test("every topic's _options.ts (and the distributed package's) is an identical copy of sync/_options.ts", async () => {
  const canonical = await Deno.readTextFile(new URL("sync/_options.ts", root));
  for (const topic of [...TOPICS, "distributed"]) {
    const copy = await Deno.readTextFile(new URL(`${topic}/_options.ts`, root));
    assert.ok(
      copy === canonical,
      `${topic}/_options.ts differs from sync/_options.ts: run deno run -A _tools/sync_options.ts`,
    );
  }
});
