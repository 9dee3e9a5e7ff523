// WorkerPool on the other runtimes, from the bundle (`deno task build`): on Bun it runs on Bun's
// workers; on Node.js, which has no global Worker, it refuses with a NotSupportedError naming the
// runtime. Each runtime found (`bun` / `node` on PATH, or the BUN / NODE environment variables)
// runs pool/testdata/runtime_smoke.mjs; a runtime not found is skipped.
import assert from "node:assert/strict";

const root = new URL("../", import.meta.url);
const smoke = new URL("./testdata/runtime_smoke.mjs", import.meta.url);

async function find(name: string): Promise<string | undefined> {
  const path = Deno.env.get(name.toUpperCase()) ?? name;
  try {
    const { success } = await new Deno.Command(path, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return success ? path : undefined;
  } catch {
    return undefined;
  }
}

const bun = await find("bun");
const node = await find("node");

let built: Promise<void> | undefined;
/** Builds dist/ once (the bundles are what another runtime loads). */
function build(): Promise<void> {
  built ??= new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--import-map=_tools/dev_imports.json",
      "--lock=_tools/dev_imports.lock",
      "_tools/build.ts",
    ],
    cwd: root,
    stdout: "null",
    stderr: "piped",
  }).output().then(({ success, stderr }) => {
    if (!success) throw new Error(`the build failed: ${new TextDecoder().decode(stderr)}`);
  });
  return built;
}

async function runSmoke(runtime: string): Promise<string> {
  await build();
  const { code, stdout, stderr } = await new Deno.Command(runtime, {
    args: [smoke.pathname],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout).trim();
  assert.equal(code, 0, `${out}\n${new TextDecoder().decode(stderr)}`);
  return out;
}

Deno.test({
  name:
    "WorkerPool runs on Bun's workers (bundle): tasks, batching, progress, exits, stray messages",
  ignore: bun === undefined,
  async fn() {
    assert.equal(await runSmoke(bun!), "ok");
  },
});

Deno.test({
  name: "WorkerPool refuses on Node.js with a NotSupportedError naming the runtime (bundle)",
  ignore: node === undefined,
  async fn() {
    const out = await runSmoke(node!);
    // Node 20 has no global Worker; should a later Node have one, the pool must run there.
    if (out !== "ok") {
      assert.match(
        out,
        /^refused: NotSupportedError: new WorkerPool\(\): Node\.js\/[\d.]+ lacks Web Workers/,
      );
    }
  },
});
