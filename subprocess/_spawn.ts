// Starting a child, with errors that name the program.

/** Rewrites the error of a failed spawn so that its message names the program; keeps `cause`. */
export function explainSpawnError(
  program: string,
  cwd: string | URL | undefined,
  error: unknown,
): unknown {
  if (error instanceof Deno.errors.NotFound) {
    const message = cwd !== undefined && /cwd/i.test(error.message)
      ? `Cannot run '${program}': the working directory '${cwd}' does not exist`
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

/** Builds the `Deno.Command` for argv. */
export function command(argv: readonly string[], options: Deno.CommandOptions): Deno.Command {
  options.args = argv.slice(1);
  return new Deno.Command(argv[0], options);
}
