// The test harness of the browser tests: runs every test of tests.js one after another, each
// with its own timeout, and reports each result to the runner (`reportTest`, `reportDone`, exposed
// by run.ts through Playwright) and to the page itself. Open the page in any browser to see them.

/** Rejects with a timeout error after `ms`, unless `promise` settles first. */
function withTimeout(promise, ms, name) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function show(result) {
  const li = document.createElement("li");
  li.textContent = `${result.ok ? "ok" : "FAILED"} ${result.name} (${result.ms} ms)` +
    (result.error ? `\n${result.error}` : "");
  document.getElementById("results")?.append(li);
}

async function main() {
  // Imported here, not statically, so that a tests.js that fails to load is reported.
  const { tests } = await import("./tests.js");
  const results = [];
  for (const { name, fn, timeout } of tests) {
    const start = performance.now();
    let error;
    try {
      await withTimeout(Promise.resolve().then(fn), timeout, name);
    } catch (e) {
      const head = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      const stack = e instanceof Error && e.stack ? e.stack : "";
      error = stack.startsWith(head) ? stack : `${head}\n${stack}`.trimEnd();
    }
    const result = { name, ok: error === undefined, ms: Math.round(performance.now() - start) };
    if (error !== undefined) result.error = error;
    results.push(result);
    show(result);
    await globalThis.reportTest?.(result);
  }
  globalThis.testResults = results;
  await globalThis.reportDone?.(results);
}

main().catch(async (e) => {
  await globalThis.reportDone?.([{
    name: "harness",
    ok: false,
    ms: 0,
    error: String(e?.stack ?? e),
  }]);
});
