// Runs `deno doc --lint` over every entry point in the exports maps of deno.json and of each
// workspace member's deno.json.
const root = new URL("../", import.meta.url);
const entries: string[] = [];
async function addExports(dir: URL): Promise<void> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", dir)));
  const exports = typeof config.exports === "string" ? { ".": config.exports } : config.exports;
  for (const path of Object.values(exports as Record<string, string>)) {
    entries.push(new URL(path, dir).pathname);
  }
  for (const member of (config.workspace ?? []) as string[]) {
    await addExports(new URL(`${member.replace(/\/?$/, "/")}`, dir));
  }
}
await addExports(root);
const { code } = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--lint", ...entries],
  stdout: "inherit",
  stderr: "inherit",
}).output();
Deno.exit(code);
