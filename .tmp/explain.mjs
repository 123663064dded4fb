import pg from 'pg';
import { randomBytes } from 'node:crypto';
const { openStore } = await import('/work/wt/ledger/dist/store/index.js');
const { recordEntries, RECORD_BYTES, CATEGORY_CODE } = await import('/work/wt/ledger/dist/ledger/index.js');
const sql = await import('/work/wt/ledger/dist/ledger/sql.js');
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:55432/postgres' });
await admin.connect();
const db = `chujing_exp_${process.pid}`;
await admin.query(`CREATE DATABASE ${db}`);
const url = `postgres://postgres@127.0.0.1:55432/${db}`;
const N = 60000;
const hashes = Array.from({ length: N }, () => randomBytes(32));
const pack = (list) => { const buf = Buffer.alloc(list.length * RECORD_BYTES); list.forEach((h, i) => { buf[i * RECORD_BYTES] = CATEGORY_CODE.persons; h.copy(buf, i * RECORD_BYTES + 1); }); return buf; };
async function* src(list) { yield pack(list); }
const content = (id, time) => ({ id, time, organization: 'o', datasets: ['d'], recipient: 'r', kind: 'transmit', mechanism: null, approvalReference: null, channel: null, operator: null, records: null, bytes: null });
try {
  const s = await openStore({ workspaceDir: '/tmp', env: { DATABASE_URL: url } });
  await recordEntries(s, [{ content: content('late', '2026-04-01T00:00:00.000Z'), hashes: src(hashes) }], { keyFingerprint: 'k' });
  await s.transaction(async (tx) => {
    await tx.exec(sql.STAGING_CREATE);
    const b = pack(hashes.slice(N / 2));
    await tx.query(sql.STAGING_INSERT, [b, N / 2]);
    const sel = sql.ADVANCE_STAGED.replace(/^WITH/, 'EXPLAIN WITH');
    const plan = await tx.query(sel, ['o', 2026, '2026-03-01T00:00:00.000Z', '2026-03-01']);
    console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
    throw new Error('rollback');
  }).catch(() => {});
  await s.close();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.end();
}
