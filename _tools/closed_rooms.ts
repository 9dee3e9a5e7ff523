/**
 * The closed-rooms rule: a topic folder can be copied alone into a script, so its non-test files
 * import only from inside the folder, and never from `jsr:`, `npm:` or a URL.
 *
 * @module
 */

/** The topic folders. Only the root `mod.ts` re-exports across them. */
export const TOPICS = ["subprocess", "sync", "queue", "coroutine", "pool"] as const;

/** One import that breaks the rule. */
export interface Violation {
  /** The file, relative to the repository root, with `/` separators. */
  file: string;
  /** The specifier as written. */
  specifier: string;
  /** Why it is refused. */
  reason: string;
}

// Static imports/exports, dynamic `import("…")`, `new URL("…", import.meta.url)` (how a worker
// module is located) and `/// <reference path="…" />`.
const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new\s+URL\s*\(\s*|<reference\s+(?:path|types)\s*=\s*)(["'`])([^"'`\n]+)\1/g;

/** Whether `path` is a test file (tests may use pinned `npm:` dev tools and fixtures elsewhere). */
export function isTestFile(path: string): boolean {
  return /_test\.[cm]?[jt]sx?$/.test(path) || path.split("/").includes("testdata");
}

/** Lists the specifiers a source file imports. Comments are skipped so JSDoc examples don't count. */
export function importsOf(source: string): string[] {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`])\/\/(?!\/\s*<reference).*$/gm, "$1");
  return [...code.matchAll(SPECIFIER)].map((m) => m[2] ?? "");
}

/** Resolves `specifier` against `file` (both repository-relative) or returns `undefined` if not relative. */
function resolveRelative(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
  const parts = file.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

/**
 * Checks one file of a topic folder and returns its violations.
 *
 * @param file Repository-relative path, e.g. `queue/queue.ts`.
 * @param source The file's text.
 */
export function checkFile(file: string, source: string): Violation[] {
  const topic = file.split("/")[0] ?? "";
  if (!(TOPICS as readonly string[]).includes(topic) || isTestFile(file)) return [];
  const out: Violation[] = [];
  for (const specifier of importsOf(source)) {
    if (/^(jsr|npm|node|https?|file|data):/.test(specifier)) {
      out.push({ file, specifier, reason: "imports a package or URL (zero runtime dependencies)" });
      continue;
    }
    const target = resolveRelative(file, specifier);
    if (target === undefined) {
      out.push({ file, specifier, reason: "is a bare specifier (use a relative path)" });
    } else if (target.split("/")[0] !== topic) {
      out.push({ file, specifier, reason: `leaves the ${topic}/ folder` });
    }
  }
  return out;
}

/** Walks the topic folders under `root` and returns every violation. */
export async function checkTree(root: string | URL): Promise<Violation[]> {
  const base = typeof root === "string" ? root : root.pathname;
  const out: Violation[] = [];
  async function walk(dir: string): Promise<void> {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(`${base}/${dir}`)];
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw e;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (/\.[cm]?[jt]sx?$/.test(entry.name)) {
        out.push(...checkFile(path, await Deno.readTextFile(`${base}/${path}`)));
      }
    }
  }
  for (const topic of TOPICS) await walk(topic);
  return out;
}
