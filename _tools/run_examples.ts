// Runs every chapter sample in examples/ in order and fails if any of them fails.
const dir = new URL("../examples/", import.meta.url);
const files = [...Deno.readDirSync(dir)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".ts") && !n.endsWith("_test.ts") && !n.startsWith("_"))
  .sort();
let failed = 0;
for (const name of files) {
  console.log(`\n=== examples/${name}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(name, dir).pathname],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    console.error(`examples/${name} exited with code ${code}`);
    failed++;
  }
}
console.log(`\n${files.length - failed} examples ran, ${failed} failed`);
Deno.exit(failed ? 1 : 0);
