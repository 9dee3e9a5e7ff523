import assert from "node:assert/strict";
import { build, inspect } from "../build.ts";
import { ISOLATION_HEADERS, resolvePath, serve } from "./server.ts";

const root = new URL("../../", import.meta.url);

Deno.test("serve() sends the cross-origin isolation headers with every response", async () => {
  const server = serve();
  try {
    const cases: [string, number][] = [["/", 200], ["/tests.js", 200], ["/dist/missing.js", 404]];
    for (const [path, status] of cases) {
      const res = await fetch(`${server.origin}${path}`);
      await res.body?.cancel();
      assert.equal(res.status, status, path);
      for (const [name, value] of Object.entries(ISOLATION_HEADERS)) {
        assert.equal(res.headers.get(name), value, `${path} ${name}`);
      }
    }
    const js = await fetch(`${server.origin}/harness.js`);
    assert.match(js.headers.get("Content-Type") ?? "", /^text\/javascript/);
    await js.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("serve() listens on 127.0.0.1 on an ephemeral port", async () => {
  const server = serve();
  try {
    assert.match(server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.origin, "http://127.0.0.1:0");
  } finally {
    await server.close();
  }
});

Deno.test("resolvePath() maps /dist/ and the page, and refuses to leave them", () => {
  assert.equal(resolvePath(root, "/dist/sync.js")?.href, new URL("dist/sync.js", root).href);
  assert.equal(
    resolvePath(root, "/")?.href,
    new URL("_tools/browser/page/index.html", root).href,
  );
  assert.equal(resolvePath(root, "/%2e%2e/%2e%2e/deno.json"), undefined);
  assert.equal(resolvePath(root, "/dist/../deno.json"), undefined);
  assert.equal(resolvePath(root, "/%E0%A4%A"), undefined);
});

Deno.test("inspect() refuses Deno. references and worker URLs left pointing at .ts", () => {
  assert.deepEqual(inspect("dist/a.js", "var x=1;export{x};"), []);
  const deno = inspect("dist/a.js", "var x=globalThis.Deno.pid;");
  assert.equal(deno.length, 1);
  assert.match(deno[0] ?? "", /^dist\/a\.js: references Deno\./);
  const ts = inspect("dist/a.js", `new Worker(new URL("./_host.ts",import.meta.url));`);
  assert.equal(ts.length, 1);
  assert.match(ts[0] ?? "", /still points at a TypeScript file/);
  // The same words in an error message, as written in source (with a space), are fine.
  assert.deepEqual(inspect("dist/a.js", `"try new URL(\\"./tasks.ts\\", import.meta.url)"`), []);
});

Deno.test("build() bundles worker files, rewrites their URLs and refuses Deno.", async () => {
  const dir = await Deno.makeTempDir();
  const files: Record<string, string> = {
    "sync/mod.ts": `export const pid = (): number => Deno.pid;`,
    "queue/mod.ts": `export class Queue {}`,
    "coroutine/mod.ts": `export function run(): void {}`,
    "pool/mod.ts": `export const start = (): Worker =>
  new Worker(new URL("./_host.ts", import.meta.url), { type: "module" });
export const hint = 'try new URL("./tasks.ts", import.meta.url)';`,
    "pool/_host.ts": `import { double } from "./_math.ts";
onmessage = (e: MessageEvent) => postMessage(double(e.data));`,
    "pool/_math.ts": `export const double = (n: number): number => 2 * n;`,
  };
  try {
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(`${dir}/${path.split("/")[0]}`, { recursive: true });
      await Deno.writeTextFile(`${dir}/${path}`, text);
    }
    const { bundles, errors } = await build({ root: new URL(`file://${dir}/`), log: false });
    assert.deepEqual(bundles.map((b) => b.file).sort(), [
      "dist/coroutine.js",
      "dist/pool.host.js",
      "dist/pool.js",
      "dist/queue.js",
      "dist/sync.js",
      "dist/web.js",
    ]);
    const pool = await Deno.readTextFile(`${dir}/dist/pool.js`);
    assert.match(pool, /new URL\("\.\/pool\.host\.js",import\.meta\.url\)/);
    assert.match(pool, /tasks\.ts/, "text naming a file that does not exist is left alone");
    assert.match(await Deno.readTextFile(`${dir}/dist/pool.host.js`), /postMessage/);
    assert.deepEqual(errors.map((e) => e.split(":")[0]), ["dist/sync.js", "dist/web.js"]);
    assert.match(errors[0] ?? "", /references Deno\./);
    for (const b of bundles) assert.ok(b.gzipped > 0 && b.minified > 0, b.file);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
