// The byte layout of SharedQueue's items: records (a little-endian u32 length, then the bytes)
// laid end to end in a ring of bytes, either part wrapping around its end. The queue's cells
// (head, bytes used, count) and its lock stay with the queue; these functions only move bytes.

/** The bytes of a record's length prefix. */
export const PREFIX = 4;

/** Writes the length prefix into the first {@linkcode PREFIX} bytes of `record`. */
export function frame(record: Uint8Array): void {
  const length = record.length - PREFIX;
  record[0] = length & 0xff;
  record[1] = (length >>> 8) & 0xff;
  record[2] = (length >>> 16) & 0xff;
  record[3] = length >>> 24;
}

/** Copies a framed `record` into `ring` from byte `at`; the caller knows it fits. */
export function writeRecord(ring: Uint8Array, at: number, record: Uint8Array): void {
  const first = Math.min(record.length, ring.length - at);
  ring.set(record.subarray(0, first), at);
  if (first < record.length) ring.set(record.subarray(first), 0);
}

/**
 * Copies out the payload of the record starting at byte `head` of `ring`. The record spans
 * `PREFIX + payload.length` bytes.
 */
export function readRecord(ring: Uint8Array, head: number): Uint8Array {
  const size = ring.length;
  const length = ((ring[head] as number) | (ring[(head + 1) % size] as number) << 8 |
    (ring[(head + 2) % size] as number) << 16 | (ring[(head + 3) % size] as number) << 24) >>>
    0;
  const at = (head + PREFIX) % size;
  const payload = new Uint8Array(length);
  const first = Math.min(length, size - at);
  payload.set(ring.subarray(at, at + first));
  if (first < length) payload.set(ring.subarray(0, length - first), first);
  return payload;
}
