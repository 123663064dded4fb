import pg from 'pg';
import { randomBytes } from 'node:crypto';
const { openStore } = await import('/work/wt/ledger/dist/store/index.js');
const { recordEntries, RECORD_BYTES, CATEGORY_CODE } = await import('/work/wt/ledger/dist/ledger/index.js');
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:55432/postgres' });
await admin.connect();
const db = `chujing_adv_${process.pid}`;
await admin.query(`CREATE DATABASE ${db}`);
const url = `postgres://postgres@127.0.0.1:55432/${db}`;
const N = Number(process.argv[2] ?? 60000);
const hashes = Array.from({ length: N }, () => randomBytes(32));
async function* src(list) { const buf = Buffer.alloc(list.length * RECORD_BYTES); list.forEach((h, i) => { buf[i * RECORD_BYTES] = CATEGORY_CODE.persons; h.copy(buf, i * RECORD_BYTES + 1); }); yield buf; }
const content = (id, time) => ({ id, time, organization: 'o', datasets: ['d'], recipient: 'r', kind: 'transmit', mechanism: null, approvalReference: null, channel: null, operator: null, records: null, bytes: null });
try {
  const s = await openStore({ workspaceDir: '/tmp', env: { DATABASE_URL: url } });
  let t = Date.now();
  await recordEntries(s, [{ content: content('late', '2026-04-01T00:00:00.000Z'), hashes: src(hashes) }], { keyFingerprint: 'k' });
  console.log('late', Date.now() - t);
  t = Date.now();
  await recordEntries(s, [{ content: content('early', '2026-03-01T00:00:00.000Z'), hashes: src(hashes.slice(N / 2).concat(Array.from({ length: N / 2 }, () => randomBytes(32)))) }], { keyFingerprint: 'k' });
  console.log('early (out of order)', Date.now() - t);
  console.log(await s.query('SELECT date, new_count FROM ledger_days ORDER BY date'));
  await s.close();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.end();
}
