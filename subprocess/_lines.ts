// Splitting a byte stream into lines in time linear in its length, however long a line is.

const NEWLINE = 10;
const RETURN = 13;

/**
 * Yields the lines of `reader` decoded as UTF-8, without `\n` or `\r\n`. Each chunk is scanned
 * once: the bytes of an unfinished line wait in a list and are joined once, when its newline
 * arrives (a newline byte never sits inside a multi-byte character, so a line decodes alone).
 * Cancels the stream if the consumer stops early.
 */
export async function* readLines(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  onEnd: () => void,
): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder();
  let pending: Uint8Array[] = [];
  let pendingSize = 0;
  const take = (last: Uint8Array, endsLine = true): string => {
    let bytes = last;
    if (pending.length > 0) {
      bytes = new Uint8Array(pendingSize + last.length);
      let at = 0;
      for (const part of pending) {
        bytes.set(part, at);
        at += part.length;
      }
      bytes.set(last, at);
      pending = [];
      pendingSize = 0;
    }
    const end = endsLine && bytes.length > 0 && bytes[bytes.length - 1] === RETURN
      ? bytes.length - 1
      : bytes.length;
    return decoder.decode(bytes.subarray(0, end));
  };
  let ended = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      let start = 0;
      for (let end = value.indexOf(NEWLINE); end !== -1; end = value.indexOf(NEWLINE, start)) {
        const line = take(value.subarray(start, end));
        start = end + 1;
        yield line;
      }
      if (start < value.length) {
        pending.push(value.subarray(start));
        pendingSize += value.length - start;
      }
    }
    ended = true;
    if (pendingSize > 0) {
      // A last line without "\n" keeps a final "\r": it did not end a line.
      yield take(new Uint8Array(0), false);
    }
  } finally {
    if (!ended) await reader.cancel().catch(() => {});
    reader.releaseLock();
    onEnd();
  }
}
