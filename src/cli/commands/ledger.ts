/**
 * `chujing ledger …`: record executed transfers (SEC-LOG-1), show the exact year-to-date counts
 * (CNT-1..3), verify the hash chain (and that it still extends a signed anchor), export for auditors and
 * Excel, prune beyond the retention, anchor the ledger outside the database.
 * The database is the workspace's embedded PGlite (.chujing/db) or DATABASE_URL's PostgreSQL server.
 * Heavy modules (the ledger, the database drivers, the engine) are imported when a sub-command runs.
 */
import { closeSync, existsSync, fchmodSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ChujingError } from '../../errors.js';
import { msg, t, text, toJson, type Lang, type Msg } from '../../i18n/index.js';
import { isIsoDate, todayInChina } from '../../model/dates.js';
import { loadWorkspace, type LoadedWorkspace } from '../../model/load.js';
import type { Store } from '../../store/index.js';
import type { Anchor, RecordOutcome, RecordProgress, VerifyReport } from '../../ledger/index.js';
import type { CliContext } from '../context.js';
import { ledgerStatsJson, ledgerVerifyJson } from '../../produce/ledger.js';

const CATEGORIES = ['persons', 'sensitivePersons', 'chargingConsumptionPersons', 'vehicles'] as const;

interface CommonOptions {
  workspace: string;
  keyFile?: string;
  allowReadableKeyFile?: boolean;
  json?: boolean;
}

function withCommon(cmd: Command): Command {
  return cmd
    .option('-w, --workspace <path>', 'workspace file or folder (its .chujing/ holds the embedded database)', '.')
    .option('--key-file <file>', "file holding the organisation's HMAC key (default: the environment variable named by settings.hmacKeyEnv)")
    .option('--allow-readable-key-file', 'accept a key file that group or others can read (anyone on this machine could then take the key): refused otherwise, `chmod 600` it')
    .option('--json', 'machine-readable output');
}

function load(ctx: CliContext, o: CommonOptions): LoadedWorkspace {
  return loadWorkspace(resolve(ctx.cwd, o.workspace), ctx.cwd);
}

async function key(ctx: CliContext, ws: LoadedWorkspace, o: CommonOptions) {
  const { resolveHmacKey } = await import('../../evidence/keyed-hash.js');
  return resolveHmacKey({ env: ctx.env, envVar: ws.workspace.settings.hmacKeyEnv, keyFile: o.keyFile ? resolve(ctx.cwd, o.keyFile) : undefined, allowReadableKeyFile: !!o.allowReadableKeyFile });
}

async function withStore<T>(ctx: CliContext, ws: LoadedWorkspace, mustExist: boolean, fn: (s: Store) => Promise<T>): Promise<T | null> {
  const [{ openStore }, { closeLedgerStore }] = await Promise.all([import('../../store/index.js'), import('../../ledger/summary.js')]);
  const store = await openStore({ workspaceDir: ws.dir, env: ctx.env, mustExist, onNotice: (m) => ctx.stderr.write(`chujing: ${text(ctx.lang(), m)}\n`) });
  if (!store) return null;
  try {
    return await fn(store);
  } finally {
    await closeLedgerStore(store);
  }
}

function int(name: string) {
  return (v: string) => {
    if (!/^\d+$/.test(v)) throw new ChujingError('bad-input', msg('ledger.not-whole-number', { name }), [{ field: name, message: v, expected: msg('ledger.whole-number-expected') }]);
    return Number(v);
  };
}

const out = (ctx: CliContext, m: Msg) => ctx.stdout.write(`${text(ctx.lang(), m)}\n`);

/** Progress on stderr: the first batch at once, then at most once a second. */
function progressReporter(ctx: CliContext) {
  let last = 0;
  return (p: RecordProgress) => {
    const now = Date.now();
    if (last !== 0 && now - last < 1000) return;
    last = now;
    ctx.stderr.write(`chujing: ${t(ctx.lang(), 'ledger.progress', { id: p.id, n: p.staged })}\n`);
  };
}

function printOutcomes(ctx: CliContext, outcomes: RecordOutcome[], json?: boolean) {
  if (json) {
    ctx.stdout.write(toJson({ schema: 'chujing.ledger-record/1', entries: outcomes }, ctx.lang()));
    return;
  }
  for (const o of outcomes) {
    if (o.status === 'unchanged') out(ctx, msg('ledger.unchanged', { id: o.id, organization: o.organization, seq: o.seq }));
    else {
      out(ctx, msg('ledger.recorded', { id: o.id, organization: o.organization, seq: o.seq, persons: o.added.persons, sensitive: o.added.sensitivePersons, charging: o.added.chargingConsumptionPersons, vehicles: o.added.vehicles }));
      if (o.forced) out(ctx, msg('ledger.recorded-forced', { id: o.id, reasons: o.forced.split(',').map((r) => msg(`ledger.forced.${r}`)) }));
    }
  }
}

/**
 * The path assess gives each workspace transfer: the same gathering as `assess` (evidence measured,
 * calendar), without the ledger (whether a transfer is prohibited does not depend on it).
 */
function transferPaths(ctx: CliContext, loaded: LoadedWorkspace) {
  return async () => {
    const { assessLoaded } = await import('../../produce/inputs.js');
    const { report } = await assessLoaded(loaded, { env: ctx.env, asOf: todayInChina(), ledger: false });
    return new Map(report.transfers.map((tr) => [tr.id, tr.path as string]));
  };
}

function verifyText(lang: Lang, r: VerifyReport): string {
  if (!r.intact) {
    const b = r.firstBreak!;
    const where = b.organization ? `${b.organization}${b.seq !== null ? ` #${b.seq}` : ''}${b.id ? ` (${b.id})` : ''}` : '';
    return t(lang, 'verify.broken', { where, kind: msg(`verify.kind.${b.kind}`), detail: b.detail });
  }
  const orgs = r.organizations.map((o) =>
    t(lang, 'verify.org-line', {
      organization: o.organization,
      entries: o.entries,
      seq: o.headSeq,
      hash: o.headHash.slice(0, 16),
      seal: o.headSealed === null ? msg('verify.seal-not-checked') : '',
      checkpoints: o.checkpoints ? msg('verify.checkpoints', { n: o.checkpoints }) : '',
    }),
  );
  const lines = [t(lang, 'verify.intact', { orgs: orgs.length ? orgs.join(lang === 'zh' ? '；' : '; ') : msg('verify.empty') })];
  if (r.anchor) lines.push(t(lang, 'verify.anchor-extended', { root: r.anchor.root.slice(0, 16), createdAt: r.anchor.createdAt, n: r.anchor.organizations }));
  return lines.join('\n');
}

/**
 * Where `--out FILE` goes, checked before anything is read: its folder exists and is a folder, the file
 * is not a folder. The data goes to a temporary file beside it, renamed over FILE only when complete
 * (a failure leaves FILE as it was). Owner-only (0600) by default whatever the umask, like everything
 * under `.chujing/` (issue 19): an export holds the ledger's entries and keyed person hashes. An anchor
 * is meant to be published (git, the auditor) and is written 0644.
 */
function outputFile(ctx: CliContext, name: string, mode = 0o600) {
  const path = resolve(ctx.cwd, name);
  const display = relative(ctx.cwd, path) || name;
  const dir = dirname(path);
  let dirOk = false;
  try {
    dirOk = statSync(dir).isDirectory();
  } catch {
    dirOk = false;
  }
  if (!dirOk) throw new ChujingError('bad-input', msg('ledger.out-no-dir', { file: display }), [{ field: '--out', file: display, message: msg('ledger.out-no-dir-detail', { dir: relative(ctx.cwd, dir) || dir }), expected: msg('ledger.out-expected') }]);
  if (existsSync(path) && statSync(path).isDirectory()) throw new ChujingError('bad-input', msg('ledger.out-is-dir', { file: display }), [{ field: '--out', file: display, message: msg('ledger.out-is-dir'), expected: msg('ledger.out-expected') }]);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  let fd: number | null = null;
  const openTmp = () => {
    const f = openSync(tmp, 'w', mode);
    fchmodSync(f, mode); // a leftover temporary file keeps its old mode on open: set it
    return f;
  };
  return {
    display,
    path,
    write(chunk: string) {
      fd ??= openTmp();
      writeSync(fd, chunk);
    },
    commit() {
      fd ??= openTmp();
      fsyncSync(fd);
      closeSync(fd);
      fd = null;
      renameSync(tmp, path);
    },
    abort() {
      if (fd !== null) closeSync(fd);
      fd = null;
      rmSync(tmp, { force: true });
    },
  };
}

function readText(ctx: CliContext, file: string, what: 'anchor' | 'public-key' | 'signing-key'): { text: string; display: string } {
  const path = resolve(ctx.cwd, file);
  const display = relative(ctx.cwd, path) || file;
  try {
    return { text: readFileSync(path, 'utf8'), display };
  } catch (e) {
    throw new ChujingError('not-found', msg('ledger.cannot-read', { file: display }), [{ file: display, message: (e as NodeJS.ErrnoException).code ?? (e as Error).message, expected: msg(`anchor.expected-${what}`) }]);
  }
}

/** The auditor's public key: --public-key, else the workspace's published `ledger-anchor.pub`. */
export const PUBLIC_KEY_FILE = 'ledger-anchor.pub';
export const ANCHOR_FILE = 'ledger-anchor.json';
export const ANCHOR_KEY_ENV = 'CHUJING_ANCHOR_KEY';

export function registerLedger(program: Command, ctx: CliContext): void {
  const ledger = program.command('ledger').description('tamper-evident record of executed outbound transfers and exact year-to-date counts (SEC-LOG-1, CNT-1..3)');

  withCommon(ledger.command('record').argument('[file]', "JSON entries (one, a list, or { entries: [...] }); '-' or nothing reads stdin"))
    .description('record executed transfers from JSON; identifiers given as TYPE:VALUE are hashed on reading')
    .option('--force', 'record entries that the workspace does not declare or that assess finds prohibited (the entry says so)')
    .action(async (file: string | undefined, o: CommonOptions & { force?: boolean }) => {
      const ws = load(ctx, o);
      const k = await key(ctx, ws, o);
      const display = !file || file === '-' ? '(stdin)' : relative(ctx.cwd, resolve(ctx.cwd, file)) || file;
      let body: string;
      try {
        body = readFileSync(!file || file === '-' ? 0 : resolve(ctx.cwd, file), 'utf8');
      } catch (e) {
        throw new ChujingError('not-found', msg('ledger.cannot-read', { file: display }), [{ file: display, message: (e as NodeJS.ErrnoException).code ?? (e as Error).message, expected: msg('ledger.entries-expected') }]);
      }
      const [{ entriesFromJson, recordEntries }, { admit }, { keyFingerprint }] = await Promise.all([
        import('../../ledger/index.js'),
        import('../../ledger/admit.js'),
        import('../../evidence/keyed-hash.js'),
      ]);
      const items = entriesFromJson(body, display, ws.workspace, k);
      const admitted = await admit(ws.workspace, items, transferPaths(ctx, ws), !!o.force);
      const outcomes = await withStore(ctx, ws, false, (s) =>
        recordEntries(s, items.map((it, i) => ({ content: admitted[i]!, hashes: it.hashes })), { keyFingerprint: keyFingerprint(k), key: k, onProgress: progressReporter(ctx) }),
      );
      printOutcomes(ctx, outcomes ?? [], o.json);
    });

  withCommon(ledger.command('import').argument('<manifest>', 'CSV or JSONL manifest: one row per person and/or vehicle'))
    .description('record one executed workspace transfer with the persons and vehicles of its manifest (one transaction)')
    .requiredOption('--transfer <id>', 'the workspace transfer this manifest was sent under (its id becomes the entry id)')
    .addOption(new Option('--format <format>', 'manifest format (default: from the extension)').choices(['csv', 'jsonl']))
    .option('--column <category=column>', 'map a category (personId, phone, vin, sensitive, charging) to a column; repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--encoding <encoding>', 'utf-8, gb18030 (gbk), utf-16le or utf-16be (default: BOM, else UTF-8, else GB18030 detected from the header)')
    .option('--time <time>', "when it was sent: YYYY-MM-DD (China) or date-time with offset (default: the transfer's date)")
    .option('--approval <id>', 'workspace approval it was sent under (mechanism and reference)')
    .option('--operator <name>', 'who sent it (SEC-LOG-1)')
    .option('--records <n>', 'records sent (default: manifest rows)', int('--records'))
    .option('--bytes <n>', 'bytes sent', int('--bytes'))
    .option('--force', 'record it even though assess finds it prohibited (the entry says so)')
    .action(async (manifest: string, o: CommonOptions & { transfer: string; format?: 'csv' | 'jsonl'; column: string[]; encoding?: string; time?: string; approval?: string; operator?: string; records?: number; bytes?: number; force?: boolean }) => {
      const ws = load(ctx, o);
      const [{ contentFromTransfer, formatFromPath, manifestHashes, parseColumnMapping, recordEntries }, { admit }, { keyFingerprint }] = await Promise.all([
        import('../../ledger/index.js'),
        import('../../ledger/admit.js'),
        import('../../evidence/keyed-hash.js'),
      ]);
      const file = resolve(ctx.cwd, manifest);
      const display = relative(ctx.cwd, file) || manifest;
      const format = o.format ?? formatFromPath(file);
      if (!format) throw new ChujingError('bad-input', msg('ledger.unknown-format', { file: display }), [{ file: display, field: '--format', message: msg('ledger.unknown-extension'), expected: msg('ledger.format-expected') }]);
      try {
        if (!statSync(file).isFile()) throw new Error('not a file');
      } catch (e) {
        throw new ChujingError('not-found', msg('ledger.cannot-read', { file: display }), [{ file: display, message: (e as NodeJS.ErrnoException).code ?? (e as Error).message, expected: msg('ledger.manifest-expected') }]);
      }
      const columns = parseColumnMapping(o.column);
      const k = await key(ctx, ws, o);
      // An unknown --transfer is refused here whatever --force says: the entry takes its datasets,
      // recipient and date from the declared transfer (use `ledger record --force` for an undeclared one).
      const declared = contentFromTransfer(ws.workspace, { transferId: o.transfer, time: o.time, approvalId: o.approval, operator: o.operator, records: o.records, bytes: o.bytes });
      const [base] = await admit(ws.workspace, [{ content: declared, where: { field: '--transfer' } }], transferPaths(ctx, ws), !!o.force);
      let rows = 0;
      const { parseEncoding } = await import('../../evidence/decode.js');
      const encoding = o.encoding !== undefined ? parseEncoding(o.encoding) : undefined;
      const hashes = manifestHashes({ file, display, format, columns, key: k, onRow: () => rows++, ...(encoding ? { encoding } : {}) });
      const report = progressReporter(ctx);
      const outcomes = await withStore(ctx, ws, false, (s) =>
        recordEntries(s, [{ content: () => ({ ...base!, records: o.records ?? rows }), hashes }], {
          keyFingerprint: keyFingerprint(k),
          key: k,
          onProgress: (p) => report({ ...p, id: base!.id }),
        }),
      );
      printOutcomes(ctx, outcomes ?? [], o.json);
    });

  withCommon(ledger.command('stats'))
    .description('exact year-to-date distinct persons, sensitive persons, charging-consumption persons and vehicles per organisation and year (CNT-1, CNT-2)')
    .option('--year <year>', 'only this calendar year', int('--year'))
    .option('--organization <id>', 'only this organisation')
    .action(async (o: CommonOptions & { year?: number; organization?: string }) => {
      const ws = load(ctx, o);
      const { loadLedgerCounts } = await import('../../ledger/baseline.js');
      const { counts: rows } = await loadLedgerCounts({ workspaceDir: ws.dir, env: ctx.env, years: o.year !== undefined ? [o.year] : undefined, organizations: o.organization ? [o.organization] : undefined });
      if (o.json) {
        ctx.stdout.write(toJson(ledgerStatsJson(rows), ctx.lang()));
        return;
      }
      if (rows.length === 0) {
        out(ctx, msg('ledger.no-entries'));
        return;
      }
      out(ctx, msg('ledger.stats-header'));
      for (const r of rows) ctx.stdout.write(`${[r.organization, r.year, r.entries, ...CATEGORIES.map((c) => r[c])].join('\t')}\n`);
    });

  withCommon(ledger.command('verify'))
    .description('recompute the hash chain, seals and person-hash digests; report the first broken link (exit 1 when broken)')
    .option('--against <anchor>', 'also prove the ledger still extends this signed anchor (no organisation missing, no head behind)')
    .option('--public-key <file>', `the anchor signer's public key (default: ${PUBLIC_KEY_FILE} in the workspace)`)
    .action(async (o: CommonOptions & { against?: string; publicKey?: string }) => {
      const ws = load(ctx, o);
      let k;
      try {
        k = await key(ctx, ws, o);
      } catch {
        k = undefined; // needed only for seals and pruning checkpoints (verify says so then)
      }
      const [{ verifyLedger }, { readAnchor, parsePublicKey }, summaries, { pgliteDataDir, pgliteExists }] = await Promise.all([
        import('../../ledger/verify.js'),
        import('../../ledger/anchor.js'),
        import('../../ledger/summary.js'),
        import('../../store/index.js'),
      ]);
      let anchor: Anchor | undefined;
      if (o.against) {
        const pub = readText(ctx, o.publicKey ?? join(ws.dir, PUBLIC_KEY_FILE), 'public-key');
        const a = readText(ctx, o.against, 'anchor');
        anchor = readAnchor(a.text, a.display, parsePublicKey(pub.text, pub.display));
      }
      // The summary as assess would read it, captured before opening the database changes its stamp.
      const embedded = !ctx.env.DATABASE_URL;
      const summary = embedded && pgliteExists(ws.dir) ? summaries.readCurrentSummary(ws.dir, pgliteDataDir(ws.dir)) : null;
      const empty: VerifyReport = { intact: true, organizations: [], firstBreak: null };
      let report = (await withStore(ctx, ws, true, (s) => verifyLedger(s, { key: k, anchor, summary }))) ?? empty;
      if (anchor && report === empty) {
        // No database at all, yet the anchor names chains: every one of them was deleted.
        report = {
          intact: anchor.body.organizations.length === 0,
          organizations: [],
          firstBreak: anchor.body.organizations[0]
            ? { organization: anchor.body.organizations[0].organization, kind: 'chain-deleted', seq: anchor.body.organizations[0].seq, id: null, detail: msg('verify.anchor-no-database') }
            : null,
          anchor: { root: anchor.body.root, createdAt: anchor.body.createdAt, organizations: anchor.body.organizations.length, extended: anchor.body.organizations.length === 0 },
        };
      }
      if (o.json) ctx.stdout.write(toJson(ledgerVerifyJson(report), ctx.lang()));
      else ctx.stdout.write(`${verifyText(ctx.lang(), report)}\n`);
      ctx.exitCode = report.intact ? 0 : 1;
    });

  withCommon(ledger.command('export'))
    .description('export every entry, in chain order: JSON Lines for auditors, CSV for Excel (UTF-8 with BOM, China time)')
    .addOption(new Option('--format <format>', 'jsonl or csv').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--out <file>', 'write to a file instead of stdout (replaced only when the export is complete)')
    .action(async (o: CommonOptions & { format: 'jsonl' | 'csv'; out?: string }) => {
      const ws = load(ctx, o);
      const lang = ctx.lang();
      const { exportLedger, emptyCsv } = await import('../../ledger/export.js');
      const dest = o.out ? outputFile(ctx, o.out) : null;
      const write = dest ? (chunk: string) => dest.write(chunk) : (chunk: string) => ctx.stdout.write(chunk);
      try {
        const n = await withStore(ctx, ws, true, (s) => exportLedger(s, o.format, write, { lang }));
        if (n === null && o.format === 'csv') write(emptyCsv(lang));
        if (dest) {
          dest.commit();
          ctx.stderr.write(`${t(lang, 'ledger.exported', { n: n ?? 0, file: dest.display })}\n`);
        }
      } catch (e) {
        dest?.abort();
        throw e;
      }
    });

  withCommon(ledger.command('prune'))
    .description('remove entries older than the retention (settings.logRetentionYears, SEC-LOG-1), leaving a signed checkpoint')
    .requiredOption('--before <date>', 'remove entries dated before this day (must be at least the retention ago)')
    .option('--as-of <date>', "today's date in China (default: the real date)")
    .action(async (o: CommonOptions & { before: string; asOf?: string }) => {
      const ws = load(ctx, o);
      if (o.asOf !== undefined && !isIsoDate(o.asOf)) throw new ChujingError('bad-input', msg('ledger.bad-date', { what: '--as-of', value: o.asOf }), [{ field: '--as-of', message: o.asOf, expected: msg('ledger.expected-date') }]);
      const k = await key(ctx, ws, o);
      const { pruneLedger } = await import('../../ledger/prune.js');
      const outcomes =
        (await withStore(ctx, ws, true, (s) => pruneLedger(s, { before: o.before, today: o.asOf ?? todayInChina(), retentionYears: ws.workspace.settings.logRetentionYears, key: k }))) ?? [];
      if (o.json) ctx.stdout.write(toJson({ schema: 'chujing.ledger-prune/1', pruned: outcomes }, ctx.lang()));
      else for (const r of outcomes) out(ctx, r.prunedEntries ? msg('ledger.pruned', { organization: r.organization, n: r.prunedEntries, seq: r.lastSeq }) : msg('ledger.nothing-to-prune', { organization: r.organization }));
    });

  withCommon(ledger.command('anchor-key'))
    .description('create the Ed25519 key pair that signs anchors: the private key to a file you keep, the public key published in the workspace')
    .requiredOption('--out <file>', 'where to write the PRIVATE key (PEM, mode 0600; refused if it exists)')
    .option('--public-out <file>', `where to write the public key (default: ${PUBLIC_KEY_FILE} in the workspace)`)
    .action(async (o: CommonOptions & { out: string; publicOut?: string }) => {
      const ws = load(ctx, o);
      const { generateAnchorKeys } = await import('../../ledger/anchor.js');
      const { writeFileAtomic } = await import('../../store/index.js');
      const priv = outputFile(ctx, o.out);
      const pubPath = o.publicOut ? resolve(ctx.cwd, o.publicOut) : join(ws.dir, PUBLIC_KEY_FILE);
      // A key is never overwritten: the public one checks every anchor signed so far (rotate by
      // moving the old pair aside, and keep the old public key for the old anchors).
      const pub = outputFile(ctx, pubPath);
      for (const [f, field] of [[priv, '--out'], [pub, '--public-out']] as const) {
        if (existsSync(f.path)) throw new ChujingError('bad-input', msg('anchor.key-exists', { file: f.display }), [{ field, file: f.display, message: msg('anchor.key-exists', { file: f.display }), expected: msg('anchor.key-exists-expected') }]);
      }
      const keys = generateAnchorKeys();
      writeFileAtomic(priv.path, keys.privatePem, 0o600);
      writeFileAtomic(pubPath, keys.publicPem, 0o644);
      const pubDisplay = pub.display;
      if (o.json) ctx.stdout.write(toJson({ schema: 'chujing.ledger-anchor-key/1', keyId: keys.keyId, privateKey: priv.display, publicKey: pubDisplay }, ctx.lang()));
      else out(ctx, msg('anchor.key-written', { priv: priv.display, pub: pubDisplay, keyId: keys.keyId, env: ANCHOR_KEY_ENV }));
    });

  withCommon(ledger.command('anchor'))
    .description('sign the head of every organisation\'s chain (Ed25519) into an anchor kept OUTSIDE the database; verify --against proves the ledger still extends it')
    .option('--signing-key <file>', `the anchor private key (PEM; default: the ${ANCHOR_KEY_ENV} environment variable)`)
    .option('--out <file>', `where to write the anchor (default: ${ANCHOR_FILE} in the workspace, to commit to git and hand to the auditor)`)
    .action(async (o: CommonOptions & { signingKey?: string; out?: string }) => {
      const ws = load(ctx, o);
      const [{ currentHeads, currentDecisionHead, makeAnchor, parsePrivateKey }, { verifyLedger }] = await Promise.all([import('../../ledger/anchor.js'), import('../../ledger/verify.js')]);
      let signing;
      if (o.signingKey) {
        const { checkSecretFileMode } = await import('../../evidence/secret-file.js');
        checkSecretFileMode(resolve(ctx.cwd, o.signingKey), relative(ctx.cwd, resolve(ctx.cwd, o.signingKey)) || o.signingKey, '--signing-key', !!o.allowReadableKeyFile);
        const f = readText(ctx, o.signingKey, 'signing-key');
        signing = parsePrivateKey(f.text, f.display);
      } else if (ctx.env[ANCHOR_KEY_ENV]) signing = parsePrivateKey(ctx.env[ANCHOR_KEY_ENV]!, ANCHOR_KEY_ENV);
      else throw new ChujingError('bad-input', msg('anchor.no-key', { env: ANCHOR_KEY_ENV }), [{ field: '--signing-key', message: msg('anchor.no-key', { env: ANCHOR_KEY_ENV }), expected: msg('anchor.private-key-expected') }]);
      const dest = outputFile(ctx, o.out ?? join(ws.dir, ANCHOR_FILE), 0o644);
      let k;
      try {
        k = await key(ctx, ws, o);
      } catch {
        k = undefined;
      }
      // Anchoring a ledger that does not verify would bless the tampering: refuse.
      const result = await withStore(ctx, ws, true, async (s) => {
        const v = await verifyLedger(s, { key: k });
        return { v, heads: v.intact ? await currentHeads(s) : [], decisionLog: await currentDecisionHead(s) };
      });
      if (result && !result.v.intact) {
        const b = result.v.firstBreak!;
        throw new ChujingError('integrity', msg('anchor.refused-broken'), [{ field: b.organization, message: b.detail }]);
      }
      const anchor = makeAnchor(result?.heads ?? [], signing, new Date().toISOString(), result?.decisionLog ?? null);
      try {
        dest.write(`${JSON.stringify(anchor, null, 2)}\n`);
        dest.commit();
      } catch (e) {
        dest.abort();
        throw e;
      }
      if (o.json) ctx.stdout.write(toJson({ ...anchor, file: dest.display }, ctx.lang()));
      else out(ctx, msg('anchor.written', { file: dest.display, n: anchor.body.organizations.length, root: anchor.body.root.slice(0, 16) }));
    });
}
