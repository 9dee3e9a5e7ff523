/**
 * `deno task test:browser`: builds `dist/` (see `../build.ts`), serves it with the test page from
 * a local cross-origin-isolated server (`./server.ts`), runs the page's tests in Debian's Chromium
 * (headless, through `playwright-core`), prints each test and then one line `N passed, M failed`.
 *
 * Exits non-zero on any failure, including a failed build and a browser that cannot start. The
 * browser, the server and esbuild are stopped on every path.
 *
 * Environment: `CHROMIUM` overrides the browser path (default `/usr/bin/chromium`).
 *
 * @module
 */
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";
import { build, TOPICS } from "../build.ts";
import { serve } from "./server.ts";

/** The browser binary: Debian's Chromium, never a downloaded one. */
export const CHROMIUM: string = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";

/** The flags Chromium runs with: no sandbox (CI runs as root), no GPU, no network of its own. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** How long the whole page may take, beyond each test's own timeout. */
const PAGE_TIMEOUT_MS = 45_000;
/** How long Chromium may take to start. */
const LAUNCH_TIMEOUT_MS = 20_000;

/** One test's outcome, as the page reports it. */
export interface TestResult {
  /** The test's name. */
  name: string;
  /** Whether it passed. */
  ok: boolean;
  /** How long it took, in milliseconds. */
  ms: number;
  /** Why it failed. */
  error?: string;
}

function print(r: TestResult): void {
  console.log(`${r.ok ? "ok    " : "FAILED"} ${r.name} (${r.ms} ms)`);
  if (r.error) console.log(r.error.trimEnd().replace(/^/gm, "         "));
}

/** Runs the page in a started browser; resolves with every result reported (or a failure). */
async function runPage(browser: Browser, origin: string): Promise<TestResult[]> {
  const results: TestResult[] = [];
  const finished = Promise.withResolvers<void>();
  finished.promise.catch(() => {}); // a crash after the page timed out is not unhandled
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.exposeFunction("reportTest", (r: TestResult) => {
      results.push(r);
      print(r);
    });
    await page.exposeFunction("reportDone", (all: TestResult[]) => {
      // The harness reports a failure to load tests.js only here.
      for (const r of all) if (!results.some((x) => x.name === r.name)) results.push(r), print(r);
      finished.resolve();
    });
    page.on("pageerror", (e) => console.error(`[page error] ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") {
        const at = m.location().url;
        console.error(`[page ${m.type()}] ${m.text()}${at ? ` (${at})` : ""}`);
      }
    });
    page.on("crash", () => finished.reject(new Error("the page crashed")));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the page did not finish within ${PAGE_TIMEOUT_MS} ms`)),
        PAGE_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([
        page.goto(`${origin}/`).then(() => finished.promise),
        timeout,
      ]);
    } catch (e) {
      const r = { name: "test page", ok: false, ms: 0, error: String(e) };
      results.push(r);
      print(r);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await context.close().catch(() => {});
  }
  return results;
}

/** Builds, serves, runs the browser tests; returns the results (a failed build counts as one). */
export async function runBrowserTests(): Promise<TestResult[]> {
  const results: TestResult[] = [];
  const start = performance.now();
  const built = await build();
  const ms = Math.round(performance.now() - start);
  // One result per entry bundle, and one for any problem not tied to a bundle.
  const entries = [...TOPICS.map((t) => `dist/${t}.js`), "dist/web.js"];
  for (const file of entries) {
    const bundle = built.bundles.find((b) => b.file === file);
    const mine = built.errors.filter((e) => e.startsWith(`${file}:`));
    const size = bundle ? ` (${bundle.gzipped} B)` : "";
    const r: TestResult = {
      name: file === "dist/web.js"
        ? `build: dist/web.js bundles all four topics and references no Deno.${size}`
        : `build: ${file} bundles, references no Deno. and is under 5 KB min+gzip${size}`,
      ok: bundle !== undefined && mine.length === 0,
      ms,
    };
    if (!r.ok) r.error = mine.length > 0 ? mine.join("\n") : `${file} was not written`;
    results.push(r);
    print(r);
  }
  const other = built.errors.filter((e) => !entries.some((f) => e.startsWith(`${f}:`)));
  if (other.length > 0) {
    const r = { name: "build", ok: false, ms, error: other.join("\n") };
    results.push(r);
    print(r);
  }

  const server = serve();
  let browser: Browser | undefined;
  try {
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [...CHROMIUM_ARGS],
        timeout: LAUNCH_TIMEOUT_MS,
      });
    } catch (e) {
      const r = {
        name: `launch ${CHROMIUM}`,
        ok: false,
        ms: 0,
        error: `the browser cannot start: ${e instanceof Error ? e.message : e}`,
      };
      results.push(r);
      print(r);
      return results;
    }
    console.log(`browser: Chromium ${browser.version()}; page: ${server.origin}/`);
    results.push(...await runPage(browser, server.origin));
  } finally {
    await browser?.close().catch(() => {});
    await server.close();
  }
  return results;
}

if (import.meta.main) {
  let results: TestResult[];
  try {
    results = await runBrowserTests();
  } catch (e) {
    console.error(e);
    results = [{ name: "runner", ok: false, ms: 0, error: String(e) }];
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  Deno.exit(failed === 0 ? 0 : 1);
}
