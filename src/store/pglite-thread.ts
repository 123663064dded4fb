/**
 * The embedded database in its own thread (the server's; see pglite-remote.ts for why). This file is
 * the worker's entry: it opens PGlite on the data folder it is given and answers the main thread's
 * statements in the order they arrive. It knows nothing of chujing — locks, damage, the schema stay in
 * pglite.ts on the main thread — so that both threads see the same database behaviour.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { ThreadReply, ThreadRequest, ThreadStart } from './pglite-protocol.js';
import { serialiseError } from './pglite-protocol.js';
import { keepChujingParsers } from './pglite-parsers.js';
import { durability, pgliteSyncs } from './pglite-durable.js';
import { canQuerySimply, simpleQuery } from './pglite-simple-query.js';

const start = workerData as ThreadStart;
const port = parentPort!;

/** Transactions open on behalf of the main thread: finishing one resolves (commit) or rejects (rollback) its callback. */
interface OpenTransaction {
  tx: Transaction;
  finish: (commit: boolean) => void;
  done: Promise<unknown>;
}
const ROLLBACK = Symbol('rollback');
const open = new Map<number, OpenTransaction>();

function reply(message: ThreadReply): void {
  port.postMessage(message);
}

async function main(): Promise<void> {
  let db: PGlite;
  try {
    const options = start.wasmModule && start.fsBundlePath ? { wasmModule: start.wasmModule, fsBundle: new Blob([readFileSync(start.fsBundlePath)]) } : {};
    db = new PGlite(start.dataDir, { ...options, extensions: { durability: durability() } });
    await db.waitReady;
    keepChujingParsers(db);
  } catch (e) {
    reply({ id: 0, ok: false, error: serialiseError(e) });
    return;
  }
  reply({ id: 0, ok: true, rows: [] });
  const simple = canQuerySimply(db);

  const handle = async (m: ThreadRequest): Promise<ThreadReply> => {
    try {
      switch (m.op) {
        case 'query': {
          const target = m.tx !== undefined ? open.get(m.tx)!.tx : db;
          if (m.tx === undefined && !m.params?.length && m.csv === undefined && simple) {
            // In one step (pglite-simple-query.ts): the decision log's batches, the checkpointer's looks.
            return { id: m.id, ok: true, rows: await simpleQuery(db, m.sql) };
          }
          if (!m.params?.length && m.csv === undefined) {
            // Inside a transaction (or on a PGlite without the one-step way): still the simple protocol,
            // not parse, describe, bind and execute, through the transaction's own exec().
            const results = await target.exec(m.sql);
            return { id: m.id, ok: true, rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
          }
          const r = await target.query<Record<string, unknown>>(m.sql, m.params, m.csv !== undefined ? { blob: new Blob([m.csv]) } : undefined);
          return { id: m.id, ok: true, rows: r.rows };
        }
        case 'exec': {
          await (m.tx !== undefined ? open.get(m.tx)!.tx : db).exec(m.sql);
          return { id: m.id, ok: true, rows: [] };
        }
        case 'begin': {
          let started!: (tx: Transaction) => void;
          const ready = new Promise<Transaction>((r) => (started = r));
          let finish!: (commit: boolean) => void;
          const ended = new Promise<boolean>((r) => (finish = r));
          const done = db.transaction(async (tx) => {
            started(tx);
            if (!(await ended)) throw ROLLBACK;
          });
          // BEGIN itself can fail (a dead database): then `done` rejects before the callback runs.
          const tx = await Promise.race([ready, done.then(() => Promise.reject(new Error('the transaction ended before it began')))]);
          open.set(m.id, { tx, finish, done });
          return { id: m.id, ok: true, rows: [] };
        }
        case 'commit':
        case 'rollback': {
          const t = open.get(m.tx)!;
          open.delete(m.tx);
          t.finish(m.op === 'commit');
          try {
            await t.done;
          } catch (e) {
            if (!(e === ROLLBACK && m.op === 'rollback')) throw e;
          }
          return { id: m.id, ok: true, rows: [] };
        }
        case 'syncs':
          return { id: m.id, ok: true, rows: [{ ...pgliteSyncs }] };
        case 'close': {
          await db.close();
          return { id: m.id, ok: true, rows: [] };
        }
      }
    } catch (e) {
      return { id: m.id, ok: false, error: serialiseError(e) };
    }
  };
  // Each statement starts as its message arrives, as it would on the main thread: PGlite orders them.
  port.on('message', (m: ThreadRequest) => {
    void handle(m).then(reply);
  });
}

void main();
