/** Human messages of the store, in one place so a zh table can sit beside this one. */
import type { LockOwner } from './lock.js';

export const STORE_MESSAGES = {
  inUse: (file: string, owner: LockOwner | null) =>
    `database in use: another chujing process${owner ? ` (pid ${owner.pid})` : ''} holds the embedded ledger database (${file}); wait for it to finish or use a PostgreSQL server (DATABASE_URL)`,
  badUrl: (url: string) => `DATABASE_URL is not a postgres:// URL: ${url}`,
  cannotConnect: (where: string, why: string) => `cannot connect to the PostgreSQL server ${where}: ${why}`,
  newerSchema: (have: number, know: number) => `the ledger database has schema version ${have}, newer than this chujing knows (${know}); upgrade chujing`,
};
