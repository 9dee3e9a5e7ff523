// Helpers shared by the tests of sync/ (not published).

/** Lets every pending microtask and short promise chain run (no timers, no sleeping). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
