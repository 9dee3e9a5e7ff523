// Queue throughput: single producer / single consumer put+get against a bare promise hand-off,
// and the chapter's three-stage pipeline of 1,000 items. Items/s = items per iteration / time.
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
  const group = `SPSC put+get, ${N.toLocaleString("en")} items, maxsize ${
    maxsize || "0 (unbounded)"
  }`;
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

// The chapter's download → resize → upload pipeline, 1,000 items, stages that return at once.
const ITEMS = 1000;
const download = (item: object): object => item;
const resize = (item: object): object => item;
const upload = (item: object): object => item;
const items = () => Array.from({ length: ITEMS }, () => ({}));

async function* map<T, U>(source: AsyncIterable<T> | Iterable<T>, fn: (x: T) => U) {
  for await (const x of source) yield fn(x);
}

const pipelineGroup = "three-stage pipeline, 1,000 items";
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
    const queues = [
      new Queue<object>(),
      new Queue<object>(),
      new Queue<object>(),
      new Queue<object>(),
    ];
    const stage = async (
      fn: (x: object) => object,
      input: Queue<object>,
      output: Queue<object>,
    ) => {
      for await (const item of input) await output.put(fn(item));
    };
    const [first, last] = [queues[0] as Queue<object>, queues[3] as Queue<object>];
    const workers = [download, resize, upload].map((fn, i) =>
      stage(fn, queues[i] as Queue<object>, queues[i + 1] as Queue<object>)
    );
    for (const item of items()) await first.put(item);
    for (const queue of queues.slice(0, 3)) {
      queue.close();
      await queue.join();
    }
    await Promise.all(workers);
    if (last.size !== ITEMS) throw new Error("lost items");
  },
});

// Issue #19's target: iterating a Queue with `for await` costs no more than an explicit `get()`
// loop (>= 0.9x its speed, and >= 8 M items/s put + iterate), maxsize 1,024, one producer, one
// consumer. The get() loop calls taskDone() too, as the iterator does.
{
  const group = `item 39 · Queue put + for await vs an explicit get() loop, ${
    N.toLocaleString("en")
  } items, maxsize 1,024`;
  const produce = (queue: Queue<number>, n: number) =>
    (async () => {
      for (let i = 0; i < n; i++) await queue.put(i);
      queue.close();
    })();
  Deno.bench({
    name: "explicit get() loop + taskDone()",
    group,
    baseline: true,
    n: 200,
    fn: async () => {
      const queue = new Queue<number>({ maxsize: 1024 });
      const producer = produce(queue, N);
      let sum = 0;
      for (let i = 0; i < N; i++) {
        sum += await queue.get();
        queue.taskDone();
      }
      await producer;
      check(sum);
    },
  });
  Deno.bench({
    name: "for await (const item of queue)",
    group,
    n: 200,
    fn: async () => {
      const queue = new Queue<number>({ maxsize: 1024 });
      const producer = produce(queue, N);
      let sum = 0;
      for await (const item of queue) sum += item;
      await producer;
      check(sum);
    },
  });
}

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
