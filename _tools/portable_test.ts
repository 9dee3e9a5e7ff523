// The web topics must run where the README says (Node 20, Bun, browsers): their runtime files use
// nothing those lack. `deno task test:runtimes` runs their tests there; this catches what a
// test-only stand-in (the runtimes shim polyfills `Promise.withResolvers` for test code) would
// hide.
import assert from "node:assert/strict";
import { isTestFile } from "./closed_rooms.ts";

const root = new URL("../", import.meta.url);
const WEB_TOPICS = ["sync", "queue", "coroutine", "pool"];

async function* runtimeFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(new URL(dir, root))) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory && e.name !== "testdata") yield* runtimeFiles(path);
    else if (
      e.isFile && e.name.endsWith(".ts") && !isTestFile(path) && !e.name.startsWith("_test_")
    ) yield path;
  }
}

Deno.test("web topics use neither Promise.withResolvers (but _options.ts's fallback) nor Array.fromAsync", async () => {
  const offenders: string[] = [];
  for (const topic of WEB_TOPICS) {
    for await (const path of runtimeFiles(topic)) {
      if (path.endsWith("/_options.ts")) continue;
      // Doc examples (in comments) run on Deno only.
      const source = (await Deno.readTextFile(new URL(path, root)))
        .replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
      if (/Promise\.withResolvers\s*[(<]|Array\.fromAsync\b/.test(source)) offenders.push(path);
    }
  }
  assert.deepEqual(offenders, []);
});
