// Task module for examples 37 and 41: plain exported functions, run on a WorkerPool.

/** Item 37's `factorize`: every divisor of `number`, by trial division (deliberately slow). */
export function factorize(number: number): number[] {
  const factors: number[] = [];
  for (let i = 1; i <= number; i++) {
    if (number % i === 0) factors.push(i);
  }
  return factors;
}

/** Item 41's `gcd` of a pair, by counting down (deliberately slow). */
export function gcd([a, b]: [number, number]): number {
  const low = Math.min(a, b);
  for (let i = low; i > 0; i--) {
    if (a % i === 0 && b % i === 0) return i;
  }
  return 1;
}
