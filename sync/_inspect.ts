// A readable `console.log` / `Deno.inspect` / Node `util.inspect` of a primitive, from its public
// state: `Mutex { locked: true, waiting: 2 }` instead of an empty `Mutex {}` (the state lives in
// private fields, which inspection does not show). Registered by symbol, so no `node:` import.

const DENO_INSPECT = Symbol.for("Deno.customInspect");
const NODE_INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Makes instances of `target` inspect as `name { key: value, ... }` from `state(instance)`. The
 * name is given, not read from `target.name`, which a bundler may rename (`_SharedMutex`).
 */
export function defineInspect<T extends object>(
  // deno-lint-ignore no-explicit-any
  target: abstract new (...args: any[]) => T,
  name: string,
  state: (self: T) => Record<string, number | boolean>,
): void {
  function inspect(this: T): string {
    const fields = Object.entries(state(this)).map(([key, value]) => `${key}: ${value}`);
    return `${name} { ${fields.join(", ")} }`;
  }
  for (const symbol of [DENO_INSPECT, NODE_INSPECT]) {
    Object.defineProperty(target.prototype, symbol, {
      value: inspect,
      writable: true,
      configurable: true,
    });
  }
}
