import assert from "node:assert/strict";
import { frame, PREFIX, readRecord, writeRecord } from "./_record_ring.ts";

Deno.test("record ring reads back every record, whichever byte its prefix or payload wraps at", () => {
  for (const length of [0, 1, 3, 4, 5, 11]) {
    const ring = new Uint8Array(16);
    for (let at = 0; at < ring.length; at++) {
      ring.fill(0xee);
      const record = new Uint8Array(PREFIX + length);
      for (let i = 0; i < length; i++) record[PREFIX + i] = i + 1;
      frame(record);
      writeRecord(ring, at, record);
      const payload = readRecord(ring, at);
      assert.deepEqual([...payload], [...record.subarray(PREFIX)], `length ${length} at ${at}`);
      // Nothing outside the record's bytes was written.
      const written = new Set(Array.from({ length: record.length }, (_, i) => (at + i) % 16));
      for (let i = 0; i < 16; i++) if (!written.has(i)) assert.equal(ring[i], 0xee);
    }
  }
});

Deno.test("record ring frames lengths past 16 bits", () => {
  const record = new Uint8Array(PREFIX + 70_000);
  frame(record);
  const ring = new Uint8Array(record.length + 8);
  writeRecord(ring, 5, record);
  assert.equal(readRecord(ring, 5).length, 70_000);
});
