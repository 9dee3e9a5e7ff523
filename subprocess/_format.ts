// Text helpers for error messages.

const SAFE = /^[\w@%+=:,./-]+$/;
const DOUBLE_SAFE = /^[^"$`\\!]*$/;

/** Renders argv the way a shell user would type it: `sh -c 'exit 3'`. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map(quote).join(" ");
}

function quote(arg: string): string {
  if (SAFE.test(arg)) return arg;
  if (!arg.includes("'")) return `'${arg}'`;
  if (DOUBLE_SAFE.test(arg)) return `"${arg}"`;
  return `'${arg.replaceAll("'", `'"'"'`)}'`;
}

const decoder = new TextDecoder();

/** The last lines of a process's stderr, trimmed, for an error message ("" when there are none). */
export function tail(stderr: string | Uint8Array, maxLines = 10, maxChars = 1000): string {
  let text = typeof stderr === "string" ? stderr : decoder.decode(
    stderr.subarray(Math.max(0, stderr.length - maxChars * 4)),
  );
  text = text.trimEnd();
  const lines = text.split("\n");
  if (lines.length > maxLines) text = lines.slice(-maxLines).join("\n");
  if (text.length > maxChars) text = "…" + text.slice(-maxChars);
  return text.trimStart();
}
