// The keys under which Deno and Node look for a custom `inspect` method. Symbol.for() gives the
// runtimes' own symbols without importing `node:util`.

/** `Symbol.for("Deno.customInspect")`: Deno's `Deno.inspect` and `console.log`. */
export const DENO_INSPECT: unique symbol = Symbol.for("Deno.customInspect");

/** `Symbol.for("nodejs.util.inspect.custom")`: Node's `util.inspect` and `console.log`. */
export const NODE_INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom");
