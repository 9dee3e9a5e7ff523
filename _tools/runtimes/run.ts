/**
 * `deno task test:runtimes`: runs the web topics' own tests (`sync/`, `queue/`, `coroutine/`,
 * `pool/`) on Node and on Bun, the way a user of each runtime gets them: Bun runs the TypeScript
 * sources as they are; Node runs esbuild bundles down-levelled to its syntax (`using` included).
 * A small `Deno.test` stand-in (`./shim.ts`) registers and runs the tests. Prints each test, then
 * one line `N passed, M failed`.
 *
 * A test file that needs an API the runtime lacks is skipped as a whole, with the reason printed:
 * any `Deno.*` API but `Deno.test` and `Deno.inspect` (everywhere), and Web Workers on Node (it
 * has only `node:worker_threads`; `pool/worker_pool_runtimes_test.ts` checks that `WorkerPool`
 * refuses there with a clear error).
 *
 * Bun (`bun@1.4.5`) and the tests' npm dev tools are installed with npm into `--deps` (default
 * `.cache/runtimes`, ignored by git) when missing. Node is the one on PATH.
 *
 * Usage: `deno run -A _tools/runtimes/run.ts [--runtime node|bun] [--deps DIR] [--keep]`.
 *
 * @module
 */
import * as esbuild from "esbuild";
import { parseArgs } from "node:util";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const WEB_TOPICS = ["sync", "queue", "coroutine", "pool"];
const BUN_VERSION = "1.4.5";
/** The dev tools the tests import, at the versions `_tools/dev_imports.json` pins. */
const DEV_TOOLS = ["fast-check"];

/** A runtime the web topics claim, with how to run a module and what its bundles target. */
interface Runtime {
  name: "node" | "bun";
  /** Whether its tests run from esbuild bundles (else from the TypeScript sources). */
  bundle: boolean;
  target: string;
  command: (deps: string) => string;
  /** Why a test file cannot run there, or `undefined`. */
  lacks: (source: string) => string | undefined;
}

function lacksDeno(source: string): string | undefined {
  const api = source.match(/\bDeno\.(?!(?:test|inspect)\b|customInspect)(\w+)/);
  return api ? `uses Deno.${api[1]}` : undefined;
}

const RUNTIMES: Runtime[] = [
  {
    name: "node",
    bundle: true,
    target: "node20",
    command: () => "node",
    lacks: (source) =>
      lacksDeno(source) ??
        (/\bnew (Worker|WorkerPool)\b|\bspawnWorkers\(/.test(source)
          ? "needs the Web Worker global, which Node lacks"
          : undefined),
  },
  {
    name: "bun",
    bundle: false,
    target: "esnext",
    command: (deps) => `${deps}/node_modules/.bin/bun`,
    lacks: lacksDeno,
  },
];

const WORKER_REF =
  /new\s+URL\(\s*(["'`])(\.{1,2}\/[\w./-]+?)\.ts\1\s*,\s*import\.meta\.url\s*\)|import\.meta\.resolve\(\s*(["'`])(\.{1,2}\/[\w./-]+?)\.ts\3\s*\)/g;

/** Worker (and task) modules a source file starts by URL, as absolute `.ts` paths. */
async function workerFiles(path: string): Promise<string[]> {
  const source = await Deno.readTextFile(path);
  const dir = path.slice(0, path.lastIndexOf("/"));
  const out: string[] = [];
  for (const m of source.matchAll(WORKER_REF)) {
    const abs = new URL(`${m[2] ?? m[4]}.ts`, `file://${dir}/`).pathname;
    if (await Deno.stat(abs).then((s) => s.isFile, () => false)) out.push(abs);
  }
  return out;
}

/**
 * Points worker URLs at their bundles. The URL becomes absolute, because a module inlined into a
 * test's bundle no longer sits beside the worker file it names.
 */
function workerUrls(outdir: string): esbuild.Plugin {
  return {
    name: "worker-urls",
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await Deno.readTextFile(args.path);
        const dir = args.path.slice(0, args.path.lastIndexOf("/"));
        const contents = source.replace(WORKER_REF, (whole, _q1, p1, _q3, p3) => {
          const abs = new URL(`${p1 ?? p3}.ts`, `file://${dir}/`).pathname;
          if (!abs.startsWith(ROOT + "/")) return whole;
          const bundled = `file://${outdir}/${abs.slice(ROOT.length + 1).replace(/\.ts$/, ".mjs")}`;
          return whole.startsWith("new")
            ? `new URL(${JSON.stringify(bundled)})`
            : JSON.stringify(bundled);
        });
        return { contents, loader: "ts" };
      });
    },
  };
}

async function sh(cmd: string, args: string[], cwd?: string): Promise<number> {
  const { code } = await new Deno.Command(cmd, { args, cwd, stdin: "null" }).output();
  return code;
}

/** Installs Bun and the dev tools into `deps` unless they are there. */
async function ensureDeps(deps: string): Promise<void> {
  const wanted = [`bun@${BUN_VERSION}`, ...DEV_TOOLS.map(pinned)];
  const missing = [];
  for (const spec of wanted) {
    const name = spec.slice(0, spec.lastIndexOf("@"));
    const version = spec.slice(spec.lastIndexOf("@") + 1);
    const pkg = await Deno.readTextFile(`${deps}/node_modules/${name}/package.json`).catch(() =>
      ""
    );
    if (!pkg || JSON.parse(pkg).version !== version) missing.push(spec);
  }
  if (missing.length === 0) return;
  await Deno.mkdir(deps, { recursive: true });
  console.log(`::: npm install ${missing.join(" ")} (into ${deps})`);
  const code = await sh("npm", [
    "install",
    "--prefix",
    deps,
    "--no-save",
    "--no-audit",
    "--no-fund",
    ...missing,
  ]);
  if (code !== 0) throw new Error(`npm install failed with exit code ${code}`);
}

/** `name@version` as the dev tools' import map (`_tools/dev_imports.json`) pins it. */
function pinned(name: string): string {
  const config = JSON.parse(Deno.readTextFileSync(`${ROOT}/_tools/dev_imports.json`));
  const spec: string = config.imports?.[name] ?? "";
  const m = spec.match(/^npm:(.+)@([^@]+)$/);
  if (!m) throw new Error(`_tools/dev_imports.json pins no npm version of ${name}`);
  return `${m[1]}@${m[2]}`;
}

/** The test files of the web topics, relative to the root. */
async function testFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const topic of WEB_TOPICS) {
    for await (const e of Deno.readDir(`${ROOT}/${topic}`)) {
      if (e.isFile && e.name.endsWith("_test.ts")) out.push(`${topic}/${e.name}`);
    }
  }
  return out.sort();
}

/**
 * The text of a test file, plus the names of the worker-starting helpers it imports (by a relative
 * path, transitively): an export whose name says `Worker` of a module that calls `new Worker(`.
 * A test that uses such a helper starts workers; one that only shares its module does not.
 */
async function testSource(path: string, seen = new Set<string>()): Promise<string> {
  if (seen.has(path)) return "";
  seen.add(path);
  const source = await Deno.readTextFile(path);
  const dir = path.slice(0, path.lastIndexOf("/"));
  let out = source;
  for (
    const m of source.matchAll(
      /\bimport\s+(?:type\s+)?\{([^}]*)\}\s+from\s+["'](\.{1,2}\/[^"']+\.ts)["']/g,
    )
  ) {
    const target = new URL(m[2]!, `file://${dir}/`).pathname;
    if (/\/(_options|mod)\.ts$/.test(target)) continue;
    const helper = await testSource(target, seen);
    if (!/\bnew (Worker|WorkerPool)\b/.test(helper)) continue;
    const used = m[1]!.split(",").map((n) => n.trim().split(/\s+as\s+/).pop()!);
    for (const name of used) {
      if (
        /Worker/.test(name) &&
        new RegExp(`\\b${name}\\b`).test(source.slice(m.index! + m[0].length))
      ) {
        out += `\nnew Worker( // through ${name}`;
      }
    }
  }
  return out;
}

/** Every `.ts` file under `dir`. */
async function* walk(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) yield* walk(`${dir}/${e.name}`);
    else if (e.isFile && e.name.endsWith(".ts")) yield `${dir}/${e.name}`;
  }
}

/** Bundles the shim, the test files and every worker module they start into `dir`. */
async function bundle(
  runtime: Runtime,
  deps: string,
  dir: string,
  files: string[],
): Promise<boolean> {
  // Test helpers import the files that start workers, so scan the folders, not the test files.
  const entries = new Set([`${ROOT}/_tools/runtimes/shim.ts`, ...files.map((f) => `${ROOT}/${f}`)]);
  for (const topic of WEB_TOPICS) {
    for await (const path of walk(`${ROOT}/${topic}`)) {
      for (const w of await workerFiles(path)) entries.add(w);
    }
  }
  try {
    await esbuild.build({
      entryPoints: [...entries],
      outbase: ROOT,
      outdir: dir,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      format: "esm",
      platform: "node",
      target: runtime.target,
      nodePaths: [`${deps}/node_modules`],
      plugins: [workerUrls(dir)],
      logLevel: "error",
    });
    return true;
  } catch (e) {
    console.log(`${runtime.name}: esbuild failed: ${e instanceof Error ? e.message : e}`);
    return false;
  }
}

/** Builds and runs one runtime's tests; returns its counts. */
async function runOn(
  runtime: Runtime,
  deps: string,
  outdir: string,
): Promise<{ passed: number; failed: number }> {
  const files: string[] = [];
  for (const file of await testFiles()) {
    const why = runtime.lacks(await testSource(`${ROOT}/${file}`));
    if (why) console.log(`${runtime.name}: skipped ${file}: ${why}`);
    else files.push(file);
  }
  const dir = `${outdir}/${runtime.name}`;
  await Deno.mkdir(dir, { recursive: true });
  // Bun runs the TypeScript sources as they are (workers included); Node gets bundles.
  const base = runtime.bundle ? "." : `file://${ROOT}`;
  const ext = runtime.bundle ? ".mjs" : ".ts";
  if (runtime.bundle && !await bundle(runtime, deps, dir, files)) return { passed: 0, failed: 1 };
  const main = [
    `import { install, runRegistered, setFile } from "${base}/_tools/runtimes/shim${ext}";`,
    `install();`,
    `let broken = 0;`,
    `for (const file of ${JSON.stringify(files)}) {`,
    `  setFile(file);`,
    `  try { await import("${base}/" + file.replace(/\.ts$/, "${ext}")); }`,
    `  catch (e) { broken++; console.log(file + ": failed to load: " + (e?.stack ?? e)); }`,
    `}`,
    `const r = await runRegistered(${JSON.stringify(runtime.name)});`,
    `console.log("@@counts " + JSON.stringify({ passed: r.passed, failed: r.failed + broken }));`,
    `process.exit(r.failed + broken > 0 ? 1 : 0);`,
  ].join("\n");
  await Deno.writeTextFile(`${dir}/main.mjs`, main);
  const child = new Deno.Command(runtime.command(deps), {
    args: [`${dir}/main.mjs`],
    cwd: dir,
    // Bun finds the tests' npm dev tools through NODE_PATH (the sources import them bare).
    env: { NODE_PATH: `${deps}/node_modules` },
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let counts: { passed: number; failed: number } | undefined;
  for await (const line of child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(lines())) {
    if (line.startsWith("@@counts ")) counts = JSON.parse(line.slice(9));
    else console.log(line);
  }
  const status = await child.status;
  if (counts === undefined) {
    console.log(`${runtime.name}: exited with code ${status.code} before its summary`);
    return { passed: 0, failed: 1 };
  }
  return counts;
}

function lines(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const p of parts) controller.enqueue(p);
    },
    flush(controller) {
      if (rest) controller.enqueue(rest);
    },
  });
}

if (import.meta.main) {
  const args = parseArgs({
    args: Deno.args,
    options: {
      runtime: { type: "string", multiple: true },
      deps: { type: "string", default: `${ROOT}/.cache/runtimes` },
      keep: { type: "boolean", default: false },
    },
  });
  const names = args.values.runtime ?? RUNTIMES.map((r) => r.name);
  const deps = args.values.deps;
  const outdir = await Deno.makeTempDir({ prefix: "runtimes-" });
  let passed = 0;
  let failed = 0;
  try {
    await ensureDeps(deps);
    for (const runtime of RUNTIMES.filter((r) => names.includes(r.name))) {
      console.log(`::: ${runtime.name}`);
      const r = await runOn(runtime, deps, outdir);
      passed += r.passed;
      failed += r.failed;
    }
  } catch (e) {
    console.log(`runtimes: ${e instanceof Error ? e.message : e}`);
    failed++;
  } finally {
    await esbuild.stop();
    if (!args.values.keep) await Deno.remove(outdir, { recursive: true });
    else console.log(`bundles kept in ${outdir}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  Deno.exit(failed > 0 ? 1 : 0);
}
