// The worker of examples/39_queue.ts, section 4: one pipeline stage on its own thread, taking
// items from one SharedQueue and putting its results into the next, like the chapter's
// StoppableWorker.
import { SharedQueue } from "../queue/mod.ts";

// The worker's global scope, typed here so the file checks with the window lib too.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
};

interface Item {
  id: number;
  steps: string[];
}

const work = (step: string) => (item: Item): Item => ({ ...item, steps: [...item.steps, step] });

scope.onmessage = async (event) => {
  const { step, input, output } = event.data as {
    step: string;
    input: SharedArrayBuffer;
    output: SharedArrayBuffer;
  };
  const inQueue = SharedQueue.from<Item>(input);
  const outQueue = SharedQueue.from<Item>(output);
  const func = work(step);
  // Ends when the input is closed and drained; marks each item done after putting its result.
  for await (const item of inQueue) await outQueue.put(func(item));
  scope.postMessage("done");
};
