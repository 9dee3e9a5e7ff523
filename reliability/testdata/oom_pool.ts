// Runs a WorkerPool in which one task exhausts the V8 heap, beside ordinary tasks; prints what
// settled. Run with a small --max-old-space-size: a heap exhaustion is fatal to the whole Deno
// process (workers share it and Deno cannot bound a worker's heap separately).
import { WorkerPool } from "../../pool/mod.ts";

await using pool = new WorkerPool(new URL("./faulty_tasks.ts", import.meta.url), { size: 2 });
const ordinary = Array.from({ length: 10 }, (_, i) => pool.run("slowAdd", [i, 1, 0]));
console.log("ordinary:", JSON.stringify(await Promise.all(ordinary)));
const hog = await pool.run("exhaustHeap", []).then(String, (e) => `${e.name}: ${e.message}`);
console.log("hog:", hog);
