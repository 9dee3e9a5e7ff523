/**
 * `deno task build`: bundles each web topic (`sync`, `queue`, `coroutine`, `pool`) to
 * `dist/<topic>.js` as minified ESM, plus `dist/web.js` with all four, using esbuild.
 * `dist/web.js` re-exports every export of the four topics under its own name; a name exported by
 * two topics fails the build.
 *
 * - A module that starts a worker from a file of its own topic, as in
 *   `new Worker(new URL("./_host.ts", import.meta.url), { type: "module" })`, gets that file bundled
 *   too, as `dist/<topic>.<name>.js` (leading underscores dropped), and the URL in the bundle is
 *   rewritten to point at it. `import.meta.resolve("./_host.ts")` is handled the same way.
 * - The build fails if a bundle references `Deno.` (the web topics must run anywhere), still points
 *   at a `.ts` file, or if a topic is over its limit ({@linkcode LIMIT}, or its entry in
 *   {@linkcode LIMITS}) in bytes minified and gzipped.
 * - It prints each bundle's minified and gzipped size as a Markdown table.
 *
 * Usage: `deno run -A _tools/build.ts` (exits 1 on failure).
 *
 * @module
 */
import * as esbuild from "esbuild";

/** The topics that use only web-standard APIs, in the order they appear in `dist/web.js`. */
export const TOPICS: readonly string[] = ["sync", "queue", "coroutine", "pool"];

/** The most a topic's entry bundle may weigh, minified and gzipped, in bytes (5 KB). */
export const LIMIT = 5 * 1024;

/**
 * Topics allowed more than {@linkcode LIMIT}, each about 10% above its size when the limit was
 * set, so growth is a decision and not an accident:
 * - `sync` (6 KB): the inspect hooks, `addPermits`, the Barrier's draining phase and `action`;
 * - `queue` (9.5 KB): `SharedQueue`, a queue between workers with its own structured-clone
 *   serialiser and futex (issue #16);
 * - `coroutine` (7.5 KB): `ensure`, `resource`, `taskGroup`, `withTimeout`, `each`, `shield` and
 *   the iterative halt (issue #15);
 * - `pool` (11 KB): two executors and the worker protocol: the worker host, crash and exit
 *   reports, load and idle timeouts, batching, chunked `map()`, progress messages, initializers
 *   and recycling (issue #14).
 */
export const LIMITS: Readonly<Record<string, number>> = {
  sync: 6 * 1024,
  queue: 9.5 * 1024,
  coroutine: 7.5 * 1024,
  pool: 11 * 1024,
};

/** The esbuild target of every bundle: lowers `using` and newer syntax for older browsers. */
export const TARGET = "es2022";

/** One file written to `dist/`. */
export interface Bundle {
  /** The path relative to the repository root, e.g. `dist/sync.js`. */
  file: string;
  /** The topic it belongs to, or `"web"` for `dist/web.js`. */
  topic: string;
  /** Whether it is a worker script started by another bundle rather than an entry point. */
  worker: boolean;
  /** Its size in bytes, minified. */
  minified: number;
  /** Its size in bytes, minified and gzipped. */
  gzipped: number;
}

/** What {@linkcode build} produced, and what is wrong with it. */
export interface BuildResult {
  /** Every file written, entry bundles first. */
  bundles: Bundle[];
  /**
   * Every reason the build fails; empty when it succeeds. Each starts with the entry bundle it
   * concerns and a colon (`dist/pool.js: …`); a worker's problems count for its topic's bundle.
   */
  errors: string[];
}

/** Options for {@linkcode build}. */
export interface BuildOptions {
  /** The repository root. @default the parent of `_tools/` */
  root?: URL;
  /** Print the size table and the problems found. @default true */
  log?: boolean;
}

const WORKER_REF =
  /new\s+URL\(\s*(["'`])\.\/([\w./-]+?)\.(?:ts|js|mjs)\1\s*,\s*import\.meta\.url\s*\)|import\.meta\.resolve\(\s*(["'`])\.\/([\w./-]+?)\.(?:ts|js|mjs)\3\s*\)/g;

/** The `dist/` name of a worker file `rel` (relative to its topic folder, without extension). */
function workerName(topic: string, rel: string): string {
  return `${topic}.${rel.replace(/^_+/, "").replaceAll("/", "-")}`;
}

/**
 * An esbuild plugin that rewrites worker URLs inside topic folders to the bundled worker files and
 * records which worker files to bundle.
 */
function workerRefs(rootPath: string, found: Map<string, { topic: string; path: string }>) {
  return {
    name: "worker-refs",
    setup(b: esbuild.PluginBuild) {
      b.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        const rel = args.path.startsWith(rootPath + "/")
          ? args.path.slice(rootPath.length + 1)
          : "";
        const topic = rel.split("/")[0] ?? "";
        if (!TOPICS.includes(topic)) return undefined;
        const source = await Deno.readTextFile(args.path);
        const dir = args.path.slice(0, args.path.lastIndexOf("/"));
        // Only references to files that exist: the same text in a comment or an error message
        // naming an example file is left alone.
        const exists = new Map<string, boolean>();
        for (const m of source.matchAll(WORKER_REF)) {
          const abs = `${dir}/${m[2] ?? m[4]}.${m[0].match(/\.(ts|js|mjs)["'`]/)![1]}`;
          exists.set(abs, await Deno.stat(abs).then((s) => s.isFile, () => false));
        }
        const contents = source.replace(WORKER_REF, (whole, q1, p1, q2, p2) => {
          const abs = `${dir}/${p1 ?? p2}.${whole.match(/\.(ts|js|mjs)["'`]/)![1]}`;
          if (!exists.get(abs)) return whole;
          const inTopic = abs.slice(rootPath.length + topic.length + 2).replace(
            /\.(ts|js|mjs)$/,
            "",
          );
          const name = workerName(topic, inTopic);
          found.set(name, { topic, path: abs });
          return q1
            ? `new URL(${q1}./${name}.js${q1}, import.meta.url)`
            : `import.meta.resolve(${q2}./${name}.js${q2})`;
        });
        const loader = args.path.endsWith("ts") ? "ts" : "js";
        return { contents, loader, resolveDir: dir };
      });
    },
  };
}

/** The bytes of a build's one output file. */
function firstOutput(r: esbuild.BuildResult): Uint8Array {
  const file = r.outputFiles?.[0];
  if (file === undefined) throw new Error("esbuild wrote no output file");
  return file.contents;
}

/** The size of `bytes` once gzipped, with the platform's `CompressionStream`. */
export async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** Problems in a bundle's text: `Deno.` references and worker URLs still pointing at `.ts`. */
export function inspect(file: string, text: string): string[] {
  const problems: string[] = [];
  // `Symbol.for("Deno.customInspect")` names a symbol every runtime can create, not a Deno API.
  for (const m of text.matchAll(/\bDeno\.(?!customInspect["'`])/g)) {
    const at = m.index!;
    const around = text.slice(Math.max(0, at - 40), at + 40).replaceAll("\n", " ");
    problems.push(`${file}: references Deno. at offset ${at}: …${around}…`);
  }
  // esbuild prints code as `new URL("./x.ts",import.meta.url)`, without a space: a worker URL
  // the build did not rewrite (text in a string would keep the space it was written with).
  const leftover =
    /new URL\((["'`])\.{1,2}\/[\w./-]*\.ts\1,import\.meta\.url\)|import\.meta\.resolve\((["'`])\.{1,2}\/[\w./-]*\.ts\2\)/g;
  for (const m of text.matchAll(leftover)) {
    problems.push(`${file}: still points at a TypeScript file: ${m[0]} (not bundled)`);
  }
  return problems;
}

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;

/** The size table in Markdown, as the README shows it. */
export function sizeTable(bundles: readonly Bundle[]): string {
  const rows = bundles.map((b) => [
    `\`${b.file}\``,
    b.worker ? `worker of \`${b.topic}\`` : b.topic === "web" ? "all four" : b.topic,
    `${kb(b.minified)} (${b.minified} B)`,
    `${kb(b.gzipped)} (${b.gzipped} B)`,
  ]);
  const head = ["bundle", "contents", "minified", "min+gzip"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/**
 * Bundles every web topic and `dist/web.js` into `dist/`, checks them and measures them.
 * Never throws for a bad bundle: the problems are in `errors`. Stops esbuild's service before
 * returning.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const root = options.root ?? new URL("../", import.meta.url);
  const rootPath = new URL(".", root).pathname.replace(/\/$/, "");
  const distPath = `${rootPath}/dist`;
  const log = options.log ?? true;
  const errors: string[] = [];
  const bundles: Bundle[] = [];
  const workers = new Map<string, { topic: string; path: string }>();
  const common: esbuild.BuildOptions = {
    bundle: true,
    format: "esm",
    minify: true,
    target: TARGET,
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
    plugins: [workerRefs(rootPath, workers)],
  };
  const outputs = new Map<string, { topic: string; worker: boolean; bytes: Uint8Array }>();

  try {
    await Deno.remove(distPath, { recursive: true }).catch(() => {});
    const present: string[] = [];
    for (const topic of TOPICS) {
      try {
        await Deno.stat(`${rootPath}/${topic}/mod.ts`);
        present.push(topic);
      } catch {
        errors.push(`dist/${topic}.js: ${topic}/mod.ts does not exist`);
      }
    }

    // One bundle per topic; their metafiles give the export names for dist/web.js.
    const exportsOf = new Map<string, string[]>();
    for (const topic of present) {
      try {
        const r = await esbuild.build({
          ...common,
          entryPoints: [`${rootPath}/${topic}/mod.ts`],
          outfile: `${distPath}/${topic}.js`,
        });
        const out = Object.values(r.metafile!.outputs)[0];
        exportsOf.set(topic, out?.exports ?? []);
        outputs.set(`${topic}.js`, { topic, worker: false, bytes: firstOutput(r) });
      } catch (e) {
        errors.push(`dist/${topic}.js: esbuild failed on ${topic}/mod.ts:\n${describe(e)}`);
      }
    }

    // dist/web.js: every topic's exports, flat; a name exported by two topics fails the build.
    const owner = new Map<string, string[]>();
    for (const [topic, names] of exportsOf) {
      for (const n of names) owner.set(n, [...(owner.get(n) ?? []), topic]);
    }
    for (const [name, topics] of owner) {
      if (topics.length > 1) {
        errors.push(`dist/web.js: '${name}' is exported by both ${topics.join(" and ")}`);
      }
    }
    if (exportsOf.size > 0) {
      const lines = [...exportsOf].map(([topic, names]) => {
        const flat = names.filter((n) => owner.get(n)!.length === 1);
        return `export { ${flat.join(", ")} } from "./${topic}/mod.ts";`;
      });
      try {
        const r = await esbuild.build({
          ...common,
          stdin: {
            contents: lines.join("\n"),
            resolveDir: rootPath,
            sourcefile: "web.ts",
            loader: "ts",
          },
          outfile: `${distPath}/web.js`,
        });
        outputs.set("web.js", { topic: "web", worker: false, bytes: firstOutput(r) });
      } catch (e) {
        errors.push(`dist/web.js: esbuild failed:\n${describe(e)}`);
      }
    }

    // Worker scripts referenced by the bundles (and by each other), each a standalone module.
    const done = new Set<string>();
    for (let pending = [...workers.keys()]; pending.length > 0; pending = [...workers.keys()]) {
      pending = pending.filter((n) => !done.has(n));
      if (pending.length === 0) break;
      for (const name of pending) {
        done.add(name);
        const { topic, path } = workers.get(name)!;
        try {
          const r = await esbuild.build({
            ...common,
            entryPoints: [path],
            outfile: `${distPath}/${name}.js`,
          });
          outputs.set(`${name}.js`, { topic, worker: true, bytes: firstOutput(r) });
        } catch (e) {
          errors.push(`dist/${topic}.js: esbuild failed on its worker ${path}:\n${describe(e)}`);
        }
      }
    }
  } finally {
    await esbuild.stop();
  }

  await Deno.mkdir(distPath, { recursive: true });
  for (const [name, { topic, worker, bytes }] of outputs) {
    const file = `dist/${name}`;
    await Deno.writeFile(`${distPath}/${name}`, bytes);
    const entry = worker ? `dist/${topic}.js` : file;
    const problems = inspect(file, new TextDecoder().decode(bytes));
    errors.push(...(worker ? problems.map((p) => `${entry}: worker ${p}`) : problems));
    const b = { file, topic, worker, minified: bytes.byteLength, gzipped: await gzipSize(bytes) };
    bundles.push(b);
    const limit = LIMITS[topic] ?? LIMIT;
    if (!worker && topic !== "web" && b.gzipped > limit) {
      errors.push(
        `${file}: ${b.gzipped} B min+gzip, over the ${limit} B (${limit / 1024} KB) limit`,
      );
    }
  }

  if (log) {
    console.log(sizeTable(bundles));
    for (const e of errors) console.error(`error: ${e}`);
    console.log(errors.length === 0 ? "build ok" : `build failed: ${errors.length} problem(s)`);
  }
  return { bundles, errors };
}

function describe(e: unknown): string {
  const errs = (e as { errors?: esbuild.Message[] }).errors;
  if (Array.isArray(errs) && errs.length > 0) {
    return errs.map((m) =>
      `  ${
        m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : ""
      }${m.text}`
    ).join("\n");
  }
  return `  ${e instanceof Error ? e.message : String(e)}`;
}

if (import.meta.main) {
  const { errors } = await build();
  Deno.exit(errors.length === 0 ? 0 : 1);
}
