/**
 * Streamed line reading for the text formats: fixed buffer, no per-file string of the whole content,
 * byte offsets kept for error messages. Handles \n and \r\n and a UTF-8 byte-order mark.
 */
import { readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';

const CHUNK = 1 << 20;
/** Files up to this size are read in one synchronous call: label folders hold many tiny files, and
 * four asynchronous calls per file (open, read, read, close) would cost more than the parsing. */
const SMALL_FILE = 1 << 20;

function splitLines(buf: Buffer, onLine: (line: string, lineNo: number, offset: number) => void): void {
  let start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let lineNo = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl < 0 ? buf.length : nl;
    if (nl < 0 && start >= buf.length) return;
    const stop = end > start && buf[end - 1] === 0x0d ? end - 1 : end;
    onLine(buf.toString('utf8', start, stop), ++lineNo, start);
    if (nl < 0) return;
    start = nl + 1;
  }
}

/**
 * Calls `onLine(text, lineNumber (1-based), byteOffset)` for every line, then resolves. `onBytes` is
 * told how many bytes were read, for progress.
 */
export async function forEachLine(file: string, onLine: (line: string, lineNo: number, offset: number) => void, onBytes?: (n: number) => void): Promise<void> {
  if (statSync(file).size <= SMALL_FILE) {
    const buf = readFileSync(file);
    onBytes?.(buf.length);
    return splitLines(buf, onLine);
  }
  const fh = await open(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let filled = 0; // bytes in buf, starting with the carried partial line
    let base = 0; // file offset of buf[0]
    let lineNo = 0;
    let first = true;
    for (;;) {
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null);
      onBytes?.(bytesRead);
      const end = filled + bytesRead;
      let start = 0;
      if (first && end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      first = false;
      const view = buf.subarray(0, end);
      for (;;) {
        const nl = view.indexOf(0x0a, start);
        if (nl < 0) break;
        const stop = nl > start && view[nl - 1] === 0x0d ? nl - 1 : nl;
        onLine(view.toString('utf8', start, stop), ++lineNo, base + start);
        start = nl + 1;
      }
      if (bytesRead === 0) {
        if (start < end) {
          const stop = view[end - 1] === 0x0d ? end - 1 : end;
          onLine(view.toString('utf8', start, stop), ++lineNo, base + start);
        }
        return;
      }
      buf.copy(buf, 0, start, end);
      filled = end - start;
      base += start;
    }
  } finally {
    await fh.close();
  }
}
