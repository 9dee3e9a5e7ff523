// Item 39: use a queue to coordinate work between threads (here: async tasks).
//
// 1. The chapter's hand-made queue: workers poll it, sleep when it is empty, and must be stopped
//    by breaking their queue. It works, but wastes polls and cannot tell when work is done.
// 2. The chapter's ClosableQueue pipeline, on our Queue: gets wait without polling, close() ends
//    the workers' loops, join() waits for every item to be processed.
// 3. The same pipeline with pipeline(): the queues, workers, closing and joining are built in.
// 4. The ClosableQueue pipeline with real threads: each stage on its own worker, SharedQueues
//    between them, closed and joined stage by stage exactly as in 2.
import { pipeline, Queue, SharedQueue } from "../queue/mod.ts";

const download = (item: object): object => item;
const resize = (item: object): object => item;
const upload = (item: object): object => item;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- 1. The hand-made, polling queue -----------------------------------------------------------

class MyQueue<T> {
  items: T[] = []; // like the chapter's deque; no lock is needed in single-threaded JS
  put(item: T): void {
    this.items.push(item);
  }
  get(): T {
    if (this.items.length === 0) throw new RangeError("empty"); // Python's IndexError
    return this.items.shift() as T;
  }
}

class Worker {
  polledCount = 0;
  workDone = 0;
  constructor(
    readonly func: (item: object) => object,
    public inQueue: MyQueue<object> | null,
    readonly outQueue: MyQueue<object>,
  ) {}

  async run(): Promise<void> {
    for (;;) {
      this.polledCount++;
      let item: object;
      try {
        item = this.inQueue!.get();
      } catch (error) {
        if (error instanceof RangeError) {
          await sleep(10); // No work to do
          continue;
        }
        return; // TypeError: the queue was set to null, the magic exit signal
      }
      this.outQueue.put(this.func(item));
      this.workDone++;
      await null; // let the other workers run, as threads would
    }
  }
}

{
  const downloadQueue = new MyQueue<object>();
  const resizeQueue = new MyQueue<object>();
  const uploadQueue = new MyQueue<object>();
  const doneQueue = new MyQueue<object>();
  const threads = [
    new Worker(download, downloadQueue, resizeQueue),
    new Worker(resize, resizeQueue, uploadQueue),
    new Worker(upload, uploadQueue, doneQueue),
  ];
  const running = threads.map((t) => t.run());
  for (let i = 0; i < 1000; i++) downloadQueue.put({});
  while (doneQueue.items.length < 1000) {
    await sleep(100); // Do something useful while waiting
  }
  // Stop all the workers by causing an exception in their run methods.
  for (const thread of threads) thread.inQueue = null;
  await Promise.all(running);
  const processed = doneQueue.items.length;
  const polled = threads.reduce((sum, t) => sum + t.polledCount, 0);
  console.log(`Processed ${processed} items after polling ${polled} times`);
}

// --- 2. The ClosableQueue pipeline, on Queue ---------------------------------------------------

// Queue is already the chapter's ClosableQueue: close() ends `for await`, which calls
// taskDone() after each item, so join() knows when a stage has finished its work.
async function stoppableWorker<T, U>(
  func: (item: T) => U,
  inQueue: Queue<T>,
  outQueue: Queue<U>,
) {
  for await (const item of inQueue) await outQueue.put(func(item));
}

{
  const downloadQueue = new Queue<object>();
  const resizeQueue = new Queue<object>();
  const uploadQueue = new Queue<object>();
  const doneQueue = new Queue<object>();
  const threads = [
    stoppableWorker(download, downloadQueue, resizeQueue),
    stoppableWorker(resize, resizeQueue, uploadQueue),
    stoppableWorker(upload, uploadQueue, doneQueue),
  ];
  for (let i = 0; i < 1000; i++) await downloadQueue.put({});
  downloadQueue.close();
  await downloadQueue.join();
  resizeQueue.close();
  await resizeQueue.join();
  uploadQueue.close();
  await uploadQueue.join();
  await Promise.all(threads);
  console.log(`${doneQueue.size} items finished`);
}

// --- 3. The same with pipeline() ---------------------------------------------------------------

{
  // Bounded buffers between the stages (16 items by default) keep memory flat; results come out
  // in input order; an error in any stage would stop all of them and be thrown here.
  const items = Array.from({ length: 1000 }, () => ({}));
  let finished = 0;
  for await (
    const _ of pipeline(items, { fn: download }, { fn: resize, concurrency: 2 }, { fn: upload })
  ) {
    finished++;
  }
  console.log(`pipeline(): ${finished} items finished`);
}

// --- 4. The same pipeline on threads: a worker per stage, SharedQueues between them ------------

{
  // Items are structured-cloned into shared memory; each stage's input holds at most 100.
  type Item = { id: number; steps: string[] };
  const downloadQueue = new SharedQueue<Item>({ maxsize: 100 });
  const resizeQueue = new SharedQueue<Item>({ maxsize: 100 });
  const uploadQueue = new SharedQueue<Item>({ maxsize: 100 });
  const doneQueue = new SharedQueue<Item>();
  const stages = [
    { step: "download", input: downloadQueue, output: resizeQueue },
    { step: "resize", input: resizeQueue, output: uploadQueue },
    { step: "upload", input: uploadQueue, output: doneQueue },
  ];
  const threads = stages.map(({ step, input, output }) => {
    // (globalThis: section 1 named its own class Worker, as the chapter does.)
    const worker = new globalThis.Worker(new URL("./_39_worker.ts", import.meta.url), {
      type: "module",
    });
    const stopped = new Promise((resolve) => (worker.onmessage = resolve));
    worker.postMessage({ step, input: input.buffer, output: output.buffer });
    return { worker, stopped };
  });
  for (let id = 0; id < 1000; id++) await downloadQueue.put({ id, steps: [] });
  for (const queue of [downloadQueue, resizeQueue, uploadQueue]) {
    queue.close(); // the stage's loop ends once this queue is drained...
    await queue.join(); // ...and join() returns once every item's result is in the next queue
  }
  await Promise.all(threads.map(({ stopped }) => stopped));
  for (const { worker } of threads) worker.terminate();
  const finished = doneQueue.close({ immediate: true });
  console.log(
    `workers: ${finished.length} items finished, each ${finished[0]?.steps.join(" → ")}`,
  );
}
