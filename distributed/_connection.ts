// Redis connections from a `redis://` URL, and a bounded first connection: ioredis retries
// forever by default, which is right after a restart (callers wait for Redis to come back) and
// wrong at startup (a mistyped host would hang). So the first `ready` is awaited with a deadline.
import type { ConnectionOptions } from "bullmq";
import { invalid, show } from "./_options.ts";
import { RedisUnavailable } from "./errors.ts";

// ioredis arms a timer of this length when it disconnects, to destroy a socket that does not
// close; a socket that never connected never reports its close, so the timer always runs out.
const DISCONNECT_TIMEOUT = 100;

/** The parsed connection: BullMQ's options and the URL to show in messages (no password). */
export interface Connection {
  options: ConnectionOptions;
  shown: string;
}

/** Parses `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS). */
export function parseRedisUrl(call: string, name: string, value: unknown): Connection {
  const expected = "a redis:// or rediss:// URL";
  if (typeof value !== "string" && !(value instanceof URL)) {
    throw invalid(call, name, expected, value);
  }
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw invalid(call, name, expected, String(value));
  }
  if ((url.protocol !== "redis:" && url.protocol !== "rediss:") || url.hostname === "") {
    throw invalid(call, name, expected, String(value));
  }
  const port = url.port === "" ? 6379 : Number(url.port);
  const path = url.pathname.replace(/^\//, "");
  const db = path === "" ? 0 : Number(path);
  if (!Number.isSafeInteger(db) || db < 0) {
    throw invalid(call, name, `${expected} whose path is a database number`, String(value));
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const options: Record<string, unknown> = { host, port, db };
  if (url.username !== "") options.username = decodeURIComponent(url.username);
  if (url.password !== "") options.password = decodeURIComponent(url.password);
  if (url.protocol === "rediss:") options.tls = { servername: host };
  // Reconnect quickly after a restart (BullMQ's default waits up to 20 s between attempts).
  options.retryStrategy = (times: number) => Math.min(50 * 2 ** times, 1000);
  options.disconnectTimeout = DISCONNECT_TIMEOUT;
  const shown = `${url.protocol}//${url.host}${path === "" ? "" : `/${path}`}`;
  return { options: options as ConnectionOptions, shown };
}

/** What {@linkcode connected} needs of a BullMQ `Queue`. */
interface Connectable {
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
  on(event: "error", listener: (error: Error) => void): unknown;
  off(event: "error", listener: (error: Error) => void): unknown;
}

/**
 * Waits until `queue` is connected, or closes it and rejects with {@linkcode RedisUnavailable}
 * after `timeout` ms (carrying the driver's last error). Only a `Queue` is used for this: BullMQ
 * can close it while it is still connecting, which its `QueueEvents` and `Worker` cannot, so
 * they are made once Redis has answered.
 */
export async function connected(queue: Connectable, shown: string, timeout: number): Promise<void> {
  let last: Error | undefined;
  const onError = (error: Error) => {
    last = error;
  };
  queue.on("error", onError);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const giveUp = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeout);
  });
  try {
    const outcome = await Promise.race([queue.waitUntilReady(), giveUp]);
    if (outcome !== "timeout") return;
  } catch (error) {
    last = error as Error;
  } finally {
    clearTimeout(timer);
    queue.off("error", onError);
  }
  await queue.close().catch(() => {});
  // Outlive ioredis's disconnect timer (armed just now, so it fires before this one): nothing
  // of the failed attempt is left running when the caller sees the error.
  await new Promise((resolve) => setTimeout(resolve, DISCONNECT_TIMEOUT));
  const why = last === undefined ? "" : `: ${last.message}`;
  throw new RedisUnavailable(
    `Cannot reach Redis at ${shown} within ${timeout} ms${why}`,
    last === undefined ? undefined : { cause: last },
  );
}

export { show };
