// Task module of runtime_smoke.mjs: plain JavaScript, imports nothing.
const report = globalThis[Symbol.for("@effective/concurrency/pool.progress")];
export const add = (a, b) => a + b;
export function count(n) {
  for (let i = 1; i <= n; i++) report(i);
  return n;
}
export function stray() {
  globalThis.postMessage("not a result");
  return "mine";
}
export function exit(code) {
  (globalThis.Deno ?? globalThis.process).exit(code);
}
export function throws() {
  throw new RangeError("bad");
}
