// Splitting a byte stream into lines in time linear in its length, however long a line is.

const NEWLINE = 10;

/**
 * Yields the lines of `reader` decoded as UTF-8, without `\n` or `\r\n`. Each chunk is scanned
 * once, from its end, for its last newline: the bytes after it wait in a list, and everything up
 * to it (with what waited) is decoded in one go and split. A newline byte never sits inside a
 * multi-byte character, so the pieces decode alone; an unfinished line is joined once, when its
 * newline arrives. Cancels the stream if the consumer stops early.
 */
export async function* readLines(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  onEnd: () => void,
): AsyncGenerator<string, void, undefined> {
  // Each piece is decoded alone, so the decoder must not take a BOM off each one: only a BOM at
  // the very start of the stream goes, as communicate()'s decoding does.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let atStart = true;
  let pending: Uint8Array[] = [];
  let pendingSize = 0;
  /** Decodes what waits in `pending` followed by `last`, and empties `pending`. */
  const take = (last: Uint8Array): string => {
    const text = decoder.decode(join(last));
    if (!atStart) return text;
    atStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };
  const join = (last: Uint8Array): Uint8Array => {
    if (pending.length === 0) return last;
    const bytes = new Uint8Array(pendingSize + last.length);
    let at = 0;
    for (const part of pending) {
      bytes.set(part, at);
      at += part.length;
    }
    bytes.set(last, at);
    pending = [];
    pendingSize = 0;
    return bytes;
  };
  let ended = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const end = value.lastIndexOf(NEWLINE);
      if (end !== -1) {
        const lines = take(value.subarray(0, end)).split("\n");
        for (const line of lines) yield line.endsWith("\r") ? line.slice(0, -1) : line;
      }
      if (end + 1 < value.length) {
        pending.push(value.subarray(end + 1));
        pendingSize += value.length - end - 1;
      }
    }
    ended = true;
    // A last line without "\n" keeps a final "\r": it did not end a line.
    if (pendingSize > 0) yield take(new Uint8Array(0));
  } finally {
    if (!ended) await reader.cancel().catch(() => {});
    reader.releaseLock();
    onEnd();
  }
}
