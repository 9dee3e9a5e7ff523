// A worker of the SharedMutex test: attaches to the mutex posted by the page and increments a
// plain (non-atomic) counter `n` times under the lock: read, then write, so an unprotected
// interleaving would lose updates. counter[1] counts the workers inside the lock right now;
// counter[2] is set if it was ever above one (mutual exclusion broken).
// A dynamic import: "/dist/" is a URL path on the test server, not a file path.
const { SharedMutex } = await import("/dist/sync.js");

onmessage = ({ data }) => {
  const mutex = SharedMutex.from(data.mutex);
  const counter = new Int32Array(data.counter);
  for (let i = 0; i < data.n; i++) {
    const guard = mutex.lockSync();
    if (Atomics.add(counter, 1, 1) !== 0) Atomics.store(counter, 2, 1);
    const value = counter[0];
    counter[0] = value + 1;
    Atomics.sub(counter, 1, 1);
    guard.release();
  }
  postMessage("done");
};

postMessage("ready");
