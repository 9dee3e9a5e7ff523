/**
 * The worker command: serves a task module's functions to `RedisPool`s on one machine,
 * until SIGINT or SIGTERM.
 *
 * ```sh
 * deno run -A jsr:@effective/concurrency-redis/main \
 *   --redis redis://10.0.0.1:6379 --module ./tasks.ts [--concurrency 8] [--queue NAME]
 *   [--lock-duration 5000] [--stalled-interval 2500] [--max-stalled-count 1]
 * ```
 *
 * It prints one line once connected (`serving <module> from <redis> (queue <name>, <n> threads)`).
 * On SIGINT or SIGTERM it takes no new task, lets the running ones finish and report, and exits
 * with status 0; a second signal stops at once (the running tasks are then run again elsewhere)
 * with status 130. A bad argument or an unreachable Redis exits with status 2 and a message.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { withResolvers } from "./_options.ts";
import { serve, type TaskServer } from "./serve.ts";

const USAGE = "usage: main.ts --redis redis://host:6379 --module ./tasks.ts [--concurrency N] " +
  "[--queue NAME] [--lock-duration MS] [--stalled-interval MS] [--max-stalled-count N]";

/**
 * Runs the command with `args` (as `Deno.args`): serves until SIGINT/SIGTERM.
 *
 * @param args The command-line arguments.
 * @returns The exit status.
 */
export async function main(args: string[]): Promise<number> {
  let server: TaskServer;
  try {
    const { values } = parseArgs({
      args,
      options: {
        redis: { type: "string" },
        module: { type: "string" },
        concurrency: { type: "string" },
        queue: { type: "string" },
        "lock-duration": { type: "string" },
        "stalled-interval": { type: "string" },
        "max-stalled-count": { type: "string" },
        "connect-timeout": { type: "string" },
      },
      strict: true,
    });
    if (values.redis === undefined || values.module === undefined) {
      throw new TypeError("--redis and --module are required");
    }
    const number = (text: string | undefined) => text === undefined ? undefined : Number(text);
    server = await serve({
      redis: values.redis,
      module: values.module,
      concurrency: number(values.concurrency),
      queue: values.queue,
      lockDuration: number(values["lock-duration"]),
      stalledInterval: number(values["stalled-interval"]),
      maxStalledCount: number(values["max-stalled-count"]),
      connectTimeout: number(values["connect-timeout"]),
    });
    console.log(
      `serving ${values.module} from ${server.url} (queue ${server.queue}, ${server.concurrency} threads)`,
    );
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { promise: stopped, resolve } = withResolvers<number>();
  // A stop that fails still ends the command, with a message, instead of leaving it waiting.
  const failed = (what: string, error: unknown) => {
    console.error(`error: ${what} failed: ${error instanceof Error ? error.message : error}`);
    resolve(1);
  };
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals === 1) {
      console.log(`stopping: finishing ${server.running} running task(s)`);
      server.close().then(() => resolve(0), (error) => failed("close", error));
    } else {
      console.log("stopping now");
      server.terminate().then(() => resolve(130), (error) => failed("terminate", error));
    }
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const status = await stopped;
  Deno.removeSignalListener("SIGINT", onSignal);
  Deno.removeSignalListener("SIGTERM", onSignal);
  console.log("stopped");
  return status;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
