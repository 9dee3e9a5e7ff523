// Copies sync/_options.ts (the canonical copy) over every other topic's _options.ts, so the
// copies stay identical (`_tools/options_copies_test.ts` checks it).
import { TOPICS } from "./closed_rooms.ts";

const root = new URL("../", import.meta.url);
const source = await Deno.readTextFile(new URL("sync/_options.ts", root));
for (const topic of [...TOPICS, "distributed"]) {
  if (topic === "sync") continue;
  await Deno.writeTextFile(new URL(`${topic}/_options.ts`, root), source);
}
