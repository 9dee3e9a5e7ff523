/**
 * One abort listener per signal, however many tasks wait on it. `addEventListener` scans a
 * signal's listeners for a duplicate, so a listener per task on a signal that many queued tasks
 * share costs O(n) a task (O(n²) in all); here adding and removing a task's callback is O(1).
 */

interface Watch {
  callbacks: Set<() => void>;
  listener: () => void;
}

const watches = new WeakMap<AbortSignal, Watch>();

/**
 * Calls `callback` once when `signal` aborts (callbacks run in the order they were added).
 * Returns the function that removes it; call it when the wait ends another way.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let watch = watches.get(signal);
  if (watch === undefined) {
    const callbacks = new Set<() => void>();
    const listener = () => {
      watches.delete(signal);
      for (const run of callbacks) run();
      callbacks.clear();
    };
    watch = { callbacks, listener };
    watches.set(signal, watch);
    signal.addEventListener("abort", listener, { once: true });
  }
  const { callbacks } = watch;
  callbacks.add(callback);
  return () => {
    if (!callbacks.delete(callback) || callbacks.size > 0) return;
    // The last one: take the listener off, so an idle signal holds nothing of ours.
    if (watches.get(signal)?.callbacks === callbacks) {
      watches.delete(signal);
      signal.removeEventListener("abort", watch.listener);
    }
  };
}
