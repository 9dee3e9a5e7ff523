// Runs `deno doc --lint` over every entry point in deno.json's exports map.
const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
const entries = Object.values(config.exports as Record<string, string>);
const { code } = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--lint", ...entries],
  stdout: "inherit",
  stderr: "inherit",
}).output();
Deno.exit(code);
