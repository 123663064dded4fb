/**
 * One statement without parameters, outside any transaction, in one step into PGlite: the text goes as a
 * single simple-protocol `Query` message, and the rows are read from the messages PGlite has already
 * parsed, with PGlite's own `parseResults` (so the rows are exactly what `exec()` returns).
 *
 * Why not `exec()`: for every statement it also
 * - sends a second message (`Sync`, which the simple protocol does not need);
 * - writes the text with its protocol writer, which grows a buffer byte by byte;
 * - checks for and cleans up a COPY blob;
 * - runs the file-system sync that NODEFS leaves empty.
 *
 * The decision log's batches are about 15 KB of SQL text each, and they are the server database
 * thread's main work. Measured on this project's 2-core machine, with PGlite 0.3.16 and chujing's
 * parsers:
 * - a 14 KB statement: 204 µs through `exec()`, 122 µs this way;
 * - `SELECT 1`: 61 µs against 22 µs;
 * - under the decision benchmark, the database thread's CPU per logged decision: 73–79 µs against
 *   61–67 µs.
 *
 * It takes both of PGlite's locks, as `exec()` does: a statement sent while a transaction is open waits
 * for it to end instead of running inside it.
 */
import { parse, type PGlite } from '@electric-sql/pglite';

const encoder = new TextEncoder();
/** The message buffer, reused (filled and sent inside PGlite's lock, so never shared by two statements). */
let message = new Uint8Array(64 * 1024);

/** The Query message for `sql`: 'Q', its length (itself included), the text, a NUL. */
function queryMessage(sql: string): Uint8Array {
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  const most = 3 * sql.length + 6;
  if (message.length < most) message = new Uint8Array(Math.max(most, 2 * message.length));
  const { written } = encoder.encodeInto(sql, message.subarray(5));
  message[0] = 0x51; // 'Q'
  new DataView(message.buffer).setInt32(1, written + 5);
  message[5 + written] = 0;
  return message.subarray(0, written + 6);
}

/** Whether this PGlite has what the one-step way needs (else callers use `exec()`). */
export function canQuerySimply(db: PGlite): boolean {
  return typeof db._runExclusiveTransaction === 'function' && typeof db.runExclusive === 'function' && typeof db.execProtocol === 'function';
}

/** The rows of the statement's last result, as `exec()` gives them; a database error is thrown as `exec()` throws it. */
export async function simpleQuery(db: PGlite, sql: string): Promise<Record<string, unknown>[]> {
  // The closures handed to PGlite's locks hold the text only until it is encoded. Measured under the
  // decision benchmark: while they held it to the end, the text of nearly every batch survived the
  // thread's young-generation collections (1–4 MB copied and promoted by each, twice a second,
  // 7–21 ms a pause); dropped once encoded, a collection copies about 100 KB and takes 1–6 ms.
  let text: string | null = sql;
  return db._runExclusiveTransaction(() =>
    db.runExclusive(async () => {
      if (db.closed) throw new Error('PGlite is closed');
      const query = queryMessage(text!);
      text = null;
      const { messages } = await db.execProtocol(query, { syncToFs: false });
      return (parse.parseResults(messages, db.parsers).at(-1)?.rows ?? []) as Record<string, unknown>[];
    }),
  );
}
