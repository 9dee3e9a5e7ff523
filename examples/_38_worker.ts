// The worker of examples/38_lock.ts: one "sensor" incrementing a shared Int32Array cell.
import { SharedBarrier, SharedMutex } from "../sync/mod.ts";

// The worker's global scope, typed here so the file checks with the window lib too.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
};

// "Read from the sensor": a little work per sample, as in the seed's worker, so that the five
// workers' loops overlap in time (a bare 100,000-step loop can finish before the next one wakes).
let reading = 0;
function readSensor(): void {
  for (let j = 0; j < 64; j++) reading = (reading * 31 + j) | 0;
}

scope.onmessage = (event: MessageEvent) => {
  const { howMany, mode } = event.data;
  const barrier = SharedBarrier.from(event.data.barrier);
  const mutex = SharedMutex.from(event.data.mutex);
  const cells = new Int32Array(event.data.cells);
  barrier.waitSync(); // start together, or the first worker finishes before the last starts
  for (let i = 0; i < howMany; i++) {
    readSensor();
    if (mode === "locked") {
      using _ = mutex.lockSync();
      cells[0] = (cells[0] ?? 0) + 1;
    } else if (mode === "atomic") {
      Atomics.add(cells, 0, 1);
    } else {
      cells[0] = (cells[0] ?? 0) + 1; // read, add, write: another worker can write in between
    }
  }
  scope.postMessage("done");
};
