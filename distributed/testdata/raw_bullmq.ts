// The bench's floor: plain BullMQ, as its docs use it. `rawClient()` is the caller's side
// (`queue.add()` + `job.waitUntilFinished()`); run this file as a process for the worker's side.
import { Queue, QueueEvents, Worker } from "bullmq";

// The job options RedisPool uses, so both sides store the same.
const JOB = { attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } };

function connection(url: string) {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port) };
}

/** A raw BullMQ caller: one round trip per `add()`. */
export async function rawClient(url: string, queue: string) {
  const q = new Queue(queue, { connection: connection(url) });
  const events = new QueueEvents(queue, { connection: connection(url) });
  await Promise.all([q.waitUntilReady(), events.waitUntilReady()]);
  return {
    async add(a: number, b: number): Promise<number> {
      const job = await q.add("add", { args: [a, b] }, JOB);
      return await job.waitUntilFinished(events);
    },
    async close(): Promise<void> {
      await events.close();
      await q.close();
    },
  };
}

if (import.meta.main) {
  const [url = "", queue = ""] = Deno.args;
  const worker = new Worker(queue, (job) => {
    const [a, b] = job.data.args as [number, number];
    return Promise.resolve(a + b);
  }, { connection: connection(url), concurrency: 1 });
  await worker.waitUntilReady();
  console.log("serving raw BullMQ");
  Deno.addSignalListener("SIGTERM", () => worker.close().then(() => Deno.exit(0)));
}
