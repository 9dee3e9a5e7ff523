import assert from "node:assert/strict";
import { checkFile, checkTree, importsOf } from "./closed_rooms.ts";

Deno.test("checkTree() finds no import that leaves a topic folder", async () => {
  const violations = await checkTree(new URL("..", import.meta.url));
  assert.deepEqual(violations, []);
});

Deno.test("checkFile() refuses an import from another topic folder", () => {
  const v = checkFile("queue/queue.ts", `import { Mutex } from "../sync/mutex.ts";\n`);
  assert.equal(v.length, 1);
  assert.equal(v[0]?.specifier, "../sync/mutex.ts");
  assert.match(v[0]?.reason ?? "", /leaves the queue\/ folder/);
});

Deno.test("checkFile() refuses re-exports and dynamic imports across topics", () => {
  const src = `export * from "../pool/mod.ts";\nconst m = await import("../coroutine/run.ts");\n`;
  assert.deepEqual(checkFile("sync/mod.ts", src).map((v) => v.specifier), [
    "../pool/mod.ts",
    "../coroutine/run.ts",
  ]);
});

Deno.test("checkFile() refuses jsr:, npm:, node: and URL imports in runtime files", () => {
  const src = [
    `import { delay } from "jsr:@std/async";`,
    `import fc from "fast-check";`,
    `import { x } from "https://example.com/x.ts";`,
    `import { EventEmitter } from "node:events";`,
  ].join("\n");
  assert.equal(checkFile("pool/worker_pool.ts", src).length, 4);
});

Deno.test("checkFile() refuses a worker module located outside the topic", () => {
  const src = `new Worker(new URL("../sync/_w.ts", import.meta.url), { type: "module" });`;
  assert.equal(checkFile("pool/worker_pool.ts", src).length, 1);
});

Deno.test("checkFile() allows imports inside the folder and anything in test files", () => {
  assert.deepEqual(checkFile("queue/mod.ts", `export * from "./queue.ts";\n`), []);
  assert.deepEqual(checkFile("queue/sub/a.ts", `import "../_deque.ts";\n`), []);
  const test = `import fc from "fast-check";\nimport { Mutex } from "../sync/mutex.ts";`;
  assert.deepEqual(checkFile("queue/queue_test.ts", test), []);
});

Deno.test("checkFile() ignores the root mod.ts and files outside topics", () => {
  assert.deepEqual(checkFile("mod.ts", `export * from "./queue/mod.ts";`), []);
  assert.deepEqual(checkFile("bench/queue_bench.ts", `import "p-queue";`), []);
});

Deno.test("importsOf() skips imports written in comments and JSDoc examples", () => {
  const src = [
    "/**",
    " * ```ts",
    ' * import { Queue } from "jsr:@effective/concurrency/queue";',
    " * ```",
    " */",
    '// import "../sync/mod.ts";',
    'import { Deque } from "./_deque.ts";',
  ].join("\n");
  assert.deepEqual(importsOf(src), ["./_deque.ts"]);
});
