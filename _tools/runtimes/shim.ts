/**
 * A minimal `Deno.test` for other runtimes (Node, Bun): test files register their tests through
 * it, then {@linkcode runRegistered} runs them one after another and prints one line per test and
 * a summary `<runtime>: N passed, M failed, K ignored`. Installed only where `Deno` is missing.
 *
 * It supports what the topic tests use: `Deno.inspect`, `Deno.test(name, fn)`, `Deno.test(name, options, fn)`,
 * `Deno.test({ name, fn, ignore, only })` and `t.step(name, fn)`. Sanitizer options are ignored
 * (Deno's run checks them).
 *
 * @module
 */

import process from "node:process";
import { inspect } from "node:util";

type TestFn = (t: TestContext) => void | Promise<void>;

interface TestContext {
  name: string;
  step(nameOrFn: string | TestFn | StepDefinition, fn?: TestFn): Promise<boolean>;
}

interface StepDefinition {
  name: string;
  fn: TestFn;
  ignore?: boolean;
}

interface Registered {
  file: string;
  name: string;
  fn: TestFn;
  ignore: boolean;
  only: boolean;
}

const registered: Registered[] = [];
let currentFile = "";

/** How long one test may take before it counts as failed (a hang must not stop the run). */
const TEST_TIMEOUT_MS = 60_000;

function register(a: unknown, b?: unknown, c?: unknown): void {
  let name: string;
  let fn: TestFn;
  let options: { ignore?: boolean; only?: boolean } = {};
  if (typeof a === "string") {
    name = a;
    if (typeof b === "function") fn = b as TestFn;
    else {
      options = (b ?? {}) as typeof options;
      fn = c as TestFn;
    }
  } else if (typeof a === "function") {
    fn = a as TestFn;
    name = fn.name;
  } else {
    // `Deno.test({ name, fn, ... })` or `Deno.test({ name, ... }, fn)`.
    const def = a as { name: string; fn?: TestFn; ignore?: boolean; only?: boolean };
    name = def.name;
    fn = typeof b === "function" ? b as TestFn : def.fn!;
    options = def;
  }
  registered.push({
    file: currentFile,
    name,
    fn,
    ignore: options.ignore === true,
    only: options.only === true,
  });
}

function context(name: string): TestContext {
  return {
    name,
    async step(nameOrFn, maybeFn) {
      let stepName: string;
      let fn: TestFn;
      if (typeof nameOrFn === "string") {
        stepName = nameOrFn;
        fn = maybeFn!;
      } else if (typeof nameOrFn === "function") {
        stepName = nameOrFn.name;
        fn = nameOrFn;
      } else {
        if (nameOrFn.ignore) return false;
        stepName = nameOrFn.name;
        fn = nameOrFn.fn;
      }
      await fn(context(`${name} ... ${stepName}`));
      return true;
    },
  };
}

/**
 * Installs `globalThis.Deno` with `test` and `inspect` (Node's `util.inspect`, so a test of
 * `Deno.inspect` checks what a Node or Bun user's `console.log` shows) when the runtime has none.
 */
export function install(): void {
  const g = globalThis as { Deno?: unknown };
  if (g.Deno === undefined) g.Deno = { test: register, inspect };
  // Test code may use what Node 20 lacks (Promise.withResolvers, Array.fromAsync); the library
  // itself must not (`_tools/portable_test.ts` checks its sources): these are for the tests alone.
  if (typeof Promise.withResolvers !== "function") {
    Promise.withResolvers = function <T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    };
  }
  if (typeof Array.fromAsync !== "function") {
    Array.fromAsync = async function <T>(items: AsyncIterable<T> | Iterable<T>) {
      const out: T[] = [];
      for await (const item of items) out.push(item);
      return out;
    } as typeof Array.fromAsync;
  }
  bridgeUnhandledRejections();
}

/** Unhandled rejections nobody's `unhandledrejection` listener prevented. */
let unhandled = 0;

/**
 * Tests listen for the web's `unhandledrejection` event on `globalThis`; Node 20 has neither the
 * event nor `addEventListener` there, and Bun does not fire it. Node's `unhandledRejection`
 * becomes that event; one no listener prevents counts as a failure.
 */
function bridgeUnhandledRejections(): void {
  const g = globalThis as unknown as EventTarget;
  if (typeof g.addEventListener !== "function") {
    const target = new EventTarget();
    Object.assign(globalThis, {
      addEventListener: target.addEventListener.bind(target),
      removeEventListener: target.removeEventListener.bind(target),
      dispatchEvent: target.dispatchEvent.bind(target),
    });
  }
  process.on("unhandledRejection", (reason, promise) => {
    const event = Object.assign(new Event("unhandledrejection", { cancelable: true }), {
      reason,
      promise,
    });
    g.dispatchEvent(event);
    if (!event.defaultPrevented) {
      unhandled++;
      console.log(`unhandled rejection: ${reason instanceof Error ? reason.stack : reason}`);
    }
  });
}

/** Names the file whose tests register next (for the report). */
export function setFile(file: string): void {
  currentFile = file;
}

/** Runs every registered test one after another; returns the counts. */
export async function runRegistered(
  runtime: string,
): Promise<{ passed: number; failed: number; ignored: number }> {
  const only = registered.some((t) => t.only);
  let passed = 0;
  let failed = 0;
  let ignored = 0;
  for (const test of registered) {
    const label = `${test.file}: ${test.name}`;
    if (test.ignore || (only && !test.only)) {
      ignored++;
      console.log(`${label} ... ignored`);
      continue;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(() => test.fn(context(test.name))),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`timed out after ${TEST_TIMEOUT_MS} ms`)),
            TEST_TIMEOUT_MS,
          );
        }),
      ]);
      passed++;
      console.log(`${label} ... ok`);
    } catch (e) {
      failed++;
      console.log(`${label} ... FAILED`);
      console.log(String(e instanceof Error ? e.stack ?? e : e).replace(/^/gm, "    "));
    } finally {
      clearTimeout(timer);
    }
  }
  if (unhandled > 0) {
    console.log(`${runtime}: ${unhandled} unhandled rejection(s), counted as one failure`);
    failed++;
  }
  console.log(`${runtime}: ${passed} passed, ${failed} failed, ${ignored} ignored`);
  return { passed, failed, ignored };
}
