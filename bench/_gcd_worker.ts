// A bare worker for pool_bench.ts: computes the gcd of every pair it is sent and posts the
// results back. With the batch split evenly by hand, it is the platform's ceiling for the pool.
import { gcd } from "../pool/testdata/tasks.ts";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<[number, number][]>) => void) | null;
  postMessage(message: unknown): void;
};
scope.onmessage = (event) => scope.postMessage(event.data.map(gcd));
