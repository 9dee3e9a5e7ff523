// Starting a child: the Deno.Command for a config, and errors that name what is wrong.
import type { ProcessConfig } from "./_validate.ts";

/** Why a spawn failed because of `cwd`, or `undefined` if the cwd is a directory (or unknown). */
function cwdProblem(cwd: string | URL): string | undefined {
  try {
    return Deno.statSync(cwd).isDirectory ? undefined : "is not a directory";
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? "does not exist" : undefined;
  }
}

/**
 * Rewrites the error of a failed spawn so that its message names its cause, the `cwd` or the
 * program; keeps the original as `cause`.
 */
export function explainSpawnError(
  program: string,
  cwd: string | URL | undefined,
  error: unknown,
): unknown {
  if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
    // Deno blames the program when both it and the cwd are missing: look at the cwd first.
    const problem = cwd === undefined ? undefined : cwdProblem(cwd);
    const message = problem !== undefined
      ? `Cannot run '${program}': the working directory '${cwd}' ${problem}`
      : `Cannot run '${program}': program not found${program.includes("/") ? "" : " on PATH"}`;
    return new Deno.errors.NotFound(message, { cause: error });
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new Deno.errors.PermissionDenied(
      `Cannot run '${program}': permission denied (is it an executable file?)`,
      { cause: error },
    );
  }
  return error;
}

/**
 * Finds the program the way `execvp` does, for the merged-stderr path where `sh` execs it: an
 * absolute path (so `sh` neither searches nor mistakes it for an option), or a NotFound error.
 * Returns the name unchanged when it cannot look (no permission to read the environment).
 */
function resolveProgram(program: string, config: ProcessConfig): string {
  const isFile = (path: string) => {
    try {
      return Deno.statSync(path).isFile;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return false;
      }
      throw error;
    }
  };
  try {
    // Relative paths (the program's, or a PATH entry's) count from the child's working directory.
    const cwd = config.cwd === undefined
      ? Deno.cwd()
      : config.cwd instanceof URL
      ? decodeURIComponent(config.cwd.pathname)
      : config.cwd;
    const base = (cwd.startsWith("/") ? cwd : `${Deno.cwd()}/${cwd}`).replace(/\/+$/, "");
    const absolute = (path: string) => path.startsWith("/") ? path : `${base}/${path}`;
    if (program.includes("/")) {
      const path = absolute(program);
      if (isFile(path)) return executable(path);
    } else {
      const path = config.env?.PATH ?? (config.clearEnv ? undefined : Deno.env.get("PATH"));
      for (const dir of (path ?? "/usr/bin:/bin").split(":")) {
        const candidate = absolute(`${dir === "" ? "." : dir}/${program}`);
        if (isFile(candidate)) return executable(candidate);
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.PermissionDenied && error.message.startsWith("Failed")) {
      throw error;
    }
    return program; // not allowed to look: let sh report it
  }
  throw new Deno.errors.NotFound(`Failed to spawn '${program}': entity not found`);
}

function executable(path: string): string {
  if (((Deno.statSync(path).mode ?? 0o111) & 0o111) === 0) {
    throw new Deno.errors.PermissionDenied(`Failed to spawn '${path}': permission denied`);
  }
  return path;
}

/**
 * The `sh` script that runs `"$@"` with fd 2 on fd 1: one pipe, so the order is kept exactly.
 * The first `exec` moves the shell's own stderr too, so a failing exec is reported on stdout.
 */
const MERGE = 'exec 2>&1; exec "$@"';

/** Builds the `Deno.Command` that runs argv with `config`, and its stdio modes. */
export function command(
  argv: readonly string[],
  config: ProcessConfig,
  stdio: { stdin: "piped" | "inherit" | "null"; stdout: "piped" | "inherit" | "null" },
): Deno.Command {
  const program = argv[0] as string;
  const stderr = config.stderr;
  const merge = stderr === "stdout";
  const options: Deno.CommandOptions = {
    args: merge
      ? ["-c", MERGE, "sh", resolveProgram(program, config), ...argv.slice(1)]
      : argv.slice(1),
    cwd: config.cwd,
    env: config.env,
    clearEnv: config.clearEnv,
    stdin: stdio.stdin,
    stdout: stdio.stdout,
    stderr: stderr === "stdout" ? "null" : stderr ?? "inherit",
    detached: config.detached || config.processGroup,
  };
  if (config.uid !== undefined) options.uid = config.uid;
  if (config.gid !== undefined) options.gid = config.gid;
  return new Deno.Command(merge ? "/bin/sh" : program, options);
}
