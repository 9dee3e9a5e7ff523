// The task module of the WorkerPool test: a plain module of exported functions (item 41's `gcd`).

/** The greatest common divisor of a pair `[a, b]`, by the seed's brute-force search. */
export function gcd([a, b]) {
  const low = Math.min(a, b);
  for (let i = low; i > 0; i--) {
    if (a % i === 0 && b % i === 0) return i;
  }
  return 1;
}

/** Never returns: a CPU-bound task that only a terminated worker stops. */
export function spin() {
  for (;;);
}
