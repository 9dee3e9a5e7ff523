/** What `new WorkerPool()` checks about the runtime and the module URL. */

import { invalid } from "./_options.ts";

function runtimeName(): string {
  const g = globalThis as {
    navigator?: { userAgent?: string };
    process?: { versions?: { node?: string } };
  };
  // "Deno/2.9.6", "Bun/1.4.5", "Node.js/22"; Node 20 has no navigator.
  const node = g.process?.versions?.node;
  return g.navigator?.userAgent ?? (node === undefined ? "this runtime" : `Node.js/${node}`);
}

/** Throws a `NotSupportedError` naming the runtime unless it has what the pool needs. */
export function checkRuntime(): void {
  const missing = [
    typeof Worker !== "function" && "Web Workers (a global Worker)",
    typeof MessageChannel !== "function" && "MessageChannel",
    typeof URL.createObjectURL !== "function" && "URL.createObjectURL",
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new DOMException(
      `new WorkerPool(): ${runtimeName()} lacks ${
        missing.join(", ")
      }, which WorkerPool needs (it runs on Deno, Bun and browsers)`,
      "NotSupportedError",
    );
  }
}

export function resolveModuleUrl(call: string, value: unknown): string {
  if (value instanceof URL) return value.href;
  if (typeof value !== "string") throw invalid(call, "moduleUrl", "a URL or a string", value);
  try {
    return new URL(value, (globalThis as { location?: { href: string } }).location?.href).href;
  } catch {
    throw invalid(
      call,
      "moduleUrl",
      'an absolute URL (try new URL("./tasks.ts", import.meta.url))',
      value,
    );
  }
}
