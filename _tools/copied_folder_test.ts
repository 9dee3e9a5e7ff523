// A topic folder copied alone into a strict project (the settings Deno std uses, with
// noUncheckedIndexedAccess) type-checks: it needs nothing outside itself and nothing looser.
import assert from "node:assert/strict";
import { copy } from "./_copy.ts";
import { TOPICS } from "./closed_rooms.ts";

const root = new URL("../", import.meta.url);

Deno.test("each topic folder, copied alone into a strict project, passes deno check", async () => {
  const project = await Deno.makeTempDir({ prefix: "copied_topic_" });
  try {
    await Deno.writeTextFile(
      `${project}/deno.json`,
      JSON.stringify({
        compilerOptions: { strict: true, noUncheckedIndexedAccess: true, noImplicitOverride: true },
      }),
    );
    for (const topic of TOPICS) await copy(new URL(topic, root).pathname, `${project}/${topic}`);
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["check", ...TOPICS.map((topic) => `${topic}/mod.ts`)],
      cwd: project,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
  } finally {
    await Deno.remove(project, { recursive: true });
  }
});
