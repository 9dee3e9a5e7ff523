/** Small helpers both pools share (argument checks live in `_options.ts`). */

/** The number of logical cores, or 1 if the platform does not say. */
export function cores(): number {
  const n = globalThis.navigator?.hardwareConcurrency;
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/** Describes a thrown value in a message: `Name: message` for an `Error`, else `String(value)`. */
export function describe(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}
