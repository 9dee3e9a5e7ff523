// Benchmarks for queue/ (item 39): one producer and one consumer moving 10,000 items (Queue vs
// Effection's createQueue, against a bare promise hand-off, the floor for a promise-based channel),
// `for await` against an explicit `get()` loop, and the chapter's three-stage pipeline of 1,000
// items against a chain of async generators. Items/s = items per iteration / time.
//
//   npx --yes deno@2.9.6 bench -A bench/queue_bench.ts
import { pipeline, Queue, SharedQueue } from "../queue/mod.ts";
import { createQueue, run, spawn } from "effection";

const N = 10_000;

/** One producer and one consumer moving `n` items through `queue`. */
async function spsc(queue: Queue<number>, n: number): Promise<number> {
  const producer = (async () => {
    for (let i = 0; i < n; i++) await queue.put(i);
  })();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await queue.get();
  await producer;
  return sum;
}

/**
 * The floor for any promise-based channel: one `Promise.withResolvers()` per item, resolved by
 * the producer and awaited by the consumer, and one `await` per item on the producer's side
 * (as `await queue.put()` costs). No buffer bound, no waiting lists, no cancellation.
 */
async function bareHandoff(n: number): Promise<number> {
  const slots: (PromiseWithResolvers<number> | undefined)[] = new Array(n);
  const slot = (i: number) => (slots[i] ??= Promise.withResolvers<number>());
  const producer = (async () => {
    for (let i = 0; i < n; i++) {
      slot(i).resolve(i);
      await undefined;
    }
  })();
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += await slot(i).promise;
    slots[i] = undefined;
  }
  await producer;
  return sum;
}

/** The absolute floor: one `await` per put and per get, nothing handed over at all. */
async function awaitFloor(n: number): Promise<number> {
  const producer = (async () => {
    for (let i = 0; i < n; i++) await undefined;
  })();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await i;
  await producer;
  return sum;
}

/** Effection's `createQueue` (unbounded, synchronous `add`), consumed by a spawned task. */
function effectionQueue(n: number): Promise<number> {
  return run(function* () {
    const queue = createQueue<number, void>();
    const consumer = yield* spawn(function* () {
      let sum = 0;
      let next = yield* queue.next();
      while (!next.done) {
        sum += next.value;
        next = yield* queue.next();
      }
      return sum;
    });
    for (let i = 0; i < n; i++) queue.add(i);
    queue.close();
    return yield* consumer;
  });
}

const expected = (N * (N - 1)) / 2;
const check = (sum: number) => {
  if (sum !== expected) throw new Error(`lost items: ${sum} !== ${expected}`);
};

for (const maxsize of [1024, 0]) {
  const group = `item 39 · Queue put + get, ${N.toLocaleString("en")} items, maxsize ${
    maxsize ? maxsize.toLocaleString("en") : "0 (unbounded)"
  }: one producer, one consumer`;
  Deno.bench({
    name: "bare promise hand-off",
    group,
    baseline: true,
    fn: async () => check(await bareHandoff(N)),
  });
  Deno.bench({
    name: "floor: two awaits per item, no hand-off",
    group,
    fn: async () => check(await awaitFloor(N)),
  });
  Deno.bench({
    name: `Queue({ maxsize: ${maxsize} })`,
    group,
    fn: async () => check(await spsc(new Queue<number>({ maxsize }), N)),
  });
  if (maxsize === 0) {
    Deno.bench({
      name: "effection createQueue()",
      group,
      fn: async () => check(await effectionQueue(N)),
    });
  }
}

// `for await` (the form the docs teach) against an explicit `get()` loop, maxsize 1,024: the
// producer puts every item then closes the queue, which ends the loop.
const iterGroup = `item 39 · Queue consumed by for await vs a get() loop, ${
  N.toLocaleString("en")
} items, maxsize 1,024`;

async function produceThenClose(queue: Queue<number>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await queue.put(i);
  queue.close();
}

Deno.bench({
  name: "bare promise hand-off",
  group: iterGroup,
  baseline: true,
  fn: async () => check(await bareHandoff(N)),
});
Deno.bench({
  name: "Queue: get() loop",
  group: iterGroup,
  fn: async () => {
    const queue = new Queue<number>({ maxsize: 1024 });
    const producer = produceThenClose(queue, N);
    let sum = 0;
    for (let i = 0; i < N; i++) {
      sum += await queue.get();
      queue.taskDone(); // as `for await` does for each item it takes
    }
    await producer;
    check(sum);
  },
});
Deno.bench({
  name: "Queue: for await",
  group: iterGroup,
  fn: async () => {
    const queue = new Queue<number>({ maxsize: 1024 });
    const producer = produceThenClose(queue, N);
    let sum = 0;
    for await (const item of queue) sum += item;
    await producer;
    check(sum);
  },
});

// The chapter's download → resize → upload pipeline, 1,000 items, stages that return at once.
const ITEMS = 1000;
const download = (item: object): object => item;
const resize = (item: object): object => item;
const upload = (item: object): object => item;
const items = () => Array.from({ length: ITEMS }, () => ({}));

async function* map<T, U>(source: AsyncIterable<T> | Iterable<T>, fn: (x: T) => U) {
  for await (const x of source) yield fn(x);
}

const pipelineGroup = "item 39 · three-stage pipeline, 1,000 items: pipeline() and Queue workers";
Deno.bench({
  name: "async generator chain (no buffers, no concurrency)",
  group: pipelineGroup,
  baseline: true,
  fn: async () => {
    let n = 0;
    for await (const _ of map(map(map(items(), download), resize), upload)) n++;
    if (n !== ITEMS) throw new Error("lost items");
  },
});
Deno.bench({
  name: "pipeline()",
  group: pipelineGroup,
  fn: async () => {
    let n = 0;
    for await (const _ of pipeline(items(), { fn: download }, { fn: resize }, { fn: upload })) n++;
    if (n !== ITEMS) throw new Error("lost items");
  },
});
Deno.bench({
  name: "Queue workers, ClosableQueue style (close + join)",
  group: pipelineGroup,
  fn: async () => {
    const first = new Queue<object>(), second = new Queue<object>();
    const third = new Queue<object>(), done = new Queue<object>();
    const stage = async (
      fn: (x: object) => object,
      input: Queue<object>,
      output: Queue<object>,
    ) => {
      for await (const item of input) await output.put(fn(item));
    };
    const workers = [
      stage(download, first, second),
      stage(resize, second, third),
      stage(upload, third, done),
    ];
    for (const item of items()) await first.put(item);
    for (const queue of [first, second, third]) {
      queue.close();
      await queue.join();
    }
    await Promise.all(workers);
    if (done.size !== ITEMS) throw new Error("lost items");
  },
});

// SharedQueue between threads against the platform floor: the same items posted to a worker
// through a bare MessageChannel (structured clone, no bound, no taskDone/join). One producer here, one
// consumer worker; the worker's start-up is outside the timed part.
{
  const ITEMS = 10_000;
  const group = `item 39 · SharedQueue to a worker vs a bare MessageChannel hand-off, ${
    ITEMS.toLocaleString("en")
  } items`;
  const mod = new URL("../queue/mod.ts", import.meta.url).href;
  const source = `
    import { SharedQueue } from ${JSON.stringify(mod)};
    self.onmessage = async ({ data }) => {
      if (data.kind === "queue") {
        const queue = SharedQueue.from(data.buffer);
        let sum = 0;
        for await (const item of queue) sum += item.n;
        self.postMessage(sum);
      } else {
        let sum = 0, seen = 0;
        data.port.onmessage = ({ data: item }) => {
          sum += item.n;
          if (++seen === data.items) {
            data.port.close();
            self.postMessage(sum);
          }
        };
        self.postMessage("ready");
      }
    };`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const expectedSum = (ITEMS * (ITEMS - 1)) / 2;
  const spawn = () => {
    const worker = new Worker(url, { type: "module" });
    const next = () =>
      new Promise<unknown>((resolve) => (worker.onmessage = (e) => resolve(e.data)));
    return { worker, next };
  };
  Deno.bench({
    name: "MessageChannel: port.postMessage() per item",
    group,
    baseline: true,
    n: 30,
    fn: async (b) => {
      const { worker, next } = spawn();
      const { port1, port2 } = new MessageChannel();
      let reply = next();
      worker.postMessage({ kind: "port", items: ITEMS, port: port2 }, [port2]);
      await reply;
      reply = next();
      b.start();
      for (let n = 0; n < ITEMS; n++) port1.postMessage({ n });
      const sum = await reply;
      b.end();
      port1.close();
      worker.terminate();
      if (sum !== expectedSum) throw new Error(`lost items: ${sum}`);
    },
  });
  Deno.bench({
    name: "SharedQueue({ maxsize: 1024 }) put + worker's for await",
    group,
    n: 30,
    fn: async (b) => {
      const { worker, next } = spawn();
      const queue = new SharedQueue<{ n: number }>({ maxsize: 1024 });
      const reply = next();
      worker.postMessage({ kind: "queue", buffer: queue.buffer });
      b.start();
      for (let n = 0; n < ITEMS; n++) await queue.put({ n });
      queue.close();
      const sum = await reply;
      b.end();
      worker.terminate();
      if (sum !== expectedSum) throw new Error(`lost items: ${sum}`);
    },
  });
}
