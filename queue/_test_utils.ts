// Test helpers (not part of the module; imported by *_test.ts files only).

/** The observable state of a promise, updated as it settles. */
export interface Tracked<T> {
  state: "pending" | "fulfilled" | "rejected";
  value?: T;
  reason?: unknown;
  promise: Promise<T>;
}

/** Watches `promise` without leaving an unhandled rejection. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const t: Tracked<T> = { state: "pending", promise };
  promise.then(
    (value) => {
      t.state = "fulfilled";
      t.value = value;
    },
    (reason) => {
      t.state = "rejected";
      t.reason = reason;
    },
  );
  return t;
}

/** Lets every pending promise reaction run (a bounded number of microtask turns). */
export async function flush(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
