/**
 * `chujing serve`: the HTTP server. One Fastify instance; every route declared once (routes/*.ts) with
 * its zod schemas and its permission; security headers on every answer; no CORS unless origins are
 * configured; loopback by default. The server owns the database while it runs (PGlite is one process)
 * and keeps the workspace, the ledger's year-to-date counters and the API tokens in memory.
 */
import http from 'node:http';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ChujingError } from '../errors.js';
import { keyFingerprint, resolveHmacKey } from '../evidence/keyed-hash.js';
import { isMsg, msg, text, type Lang, type Msg } from '../i18n/index.js';
import { addYears, todayInChina } from '../model/dates.js';
import { resolveWorkspaceFile } from '../model/load.js';
import { chinaYear } from '../ledger/index.js';
import { openStore } from '../store/index.js';
import { failureSummary } from '../store/failure.js';
import { WalCheckpointer, type CheckpointPolicy } from '../store/pglite-checkpoint.js';
import { AuthService } from './auth.js';
import { ServerDb } from './db.js';
import { DecisionLog, RETENTION_VACUUM } from './decision-log.js';
import { DecisionService } from './decisions.js';
import { MAX_PARAM_LENGTH, HttpError, clientErrorResponse, toErrorResponse } from './errors.js';
import { DecisionLogWatch, loadAnchoredLogHead, type AnchoredLogHead } from './decision-log-integrity.js';
import { isGateRoute, Routes, renderJson } from './http.js';
import { decisionLogProblems } from './routes/meta.js';
import { acceptLanguage } from './lang.js';
import { LiveLedger } from './live-ledger.js';
import { FailureLimiter } from './rate-limit.js';
import { WorkspaceState } from './workspace-state.js';
import { WorkspaceEditor } from './workspace-edit.js';
import { registerReadRoutes } from './routes/reads.js';
import { registerDecisionRoutes } from './routes/decisions.js';
import { registerGateRoute } from './routes/gate.js';
import { registerTokenRoutes } from './routes/tokens.js';
import { registerSessionRoutes } from './routes/session.js';
import { registerWorkspaceRoutes } from './routes/workspace.js';
import { registerMetaRoutes, type HealthCheck } from './routes/meta.js';
import { Fleet } from './fleet.js';
import { registerWebUi } from './web/index.js';
import { lifecycleOf } from './web/status.js';

export const SERVER_VERSION = '0.1.0';
/**
 * PostgreSQL lock wait before a request is refused: far above the milliseconds for which chujing's own
 * processes hold the ledger's and the decision log's locks (several servers and the CLI on one
 * database), far below a proxy's read timeout (nginx: 60 s), so a locked table shows as 503 and health.
 */
export const DEFAULT_DATABASE_LOCK_TIMEOUT_MS = 10_000;
/**
 * PostgreSQL: a server's session silent this long while it holds the execution lock or is inside a
 * transaction is ended by the database (its locks released, its transaction rolled back). One of several
 * servers paused, hung or cut off must not hold the others' executions: they wait up to the lock
 * timeout (10 s by default), so this is well below it, and far above the milliseconds between two
 * statements of chujing's own transactions, even on a busy machine.
 */
export const SILENT_HOLDER_TIMEOUT_MS = 5_000;

export interface ServerOptions {
  /** Workspace file or folder (absolute, or relative to `cwd`). */
  workspace: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  host?: string;
  port?: number;
  /** Origins allowed to call the API from a browser (CORS); none by default. */
  corsOrigins?: string[];
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** pino level, or 'silent'. */
  logLevel?: string;
  /** Where log lines go (default stderr). */
  logStream?: { write(line: string): void };
  /** Watch the workspace folder and reload on changes (default true). */
  watch?: boolean;
  /** File holding the organisation's HMAC key (default: the variable named by settings.hmacKeyEnv). */
  keyFile?: string;
  /** Accept a key file that group or others can read (`--allow-readable-key-file`): refused otherwise. */
  allowReadableKeyFile?: boolean;
  /** Trust X-Forwarded-For from these proxies (Fastify's trustProxy), e.g. '127.0.0.1'. */
  trustProxy?: string | boolean;
  /** Decisions are logged (default true). Off only in benchmarks, to measure the log's cost. */
  decisionLog?: boolean;
  /**
   * Keep deciding when the decision log's chain is found broken (`--accept-broken-decision-log`).
   * Default false: decisions and the gate answer 503 until the log is repaired (fail closed).
   */
  acceptBrokenDecisionLog?: boolean;
  /**
   * PostgreSQL: the longest a statement waits for a lock another session holds before the request is
   * refused (503 storage.busy) rather than held; 0 waits as long as it takes. Default 10 s.
   */
  databaseLockTimeoutMs?: number;
  /** How often the decision log's head is checked against its rows and seal (default 60 s). */
  decisionLogCheckMs?: number;
  /** Decisions each periodic check of the log counts, a window that moves on (default 50,000; tests lower it). */
  decisionLogCheckWindow?: number;
  /** The clock (tests pin it). */
  now?: () => Date;
  /** Failed-authentication limit (tests lower it). */
  limiter?: FailureLimiter;
  /**
   * When the embedded database is checkpointed (src/store/pglite-checkpoint.ts; tests lower the
   * sizes). `everyMs`: how often the log is looked at (default 5 s).
   */
  checkpoint?: Partial<CheckpointPolicy> & { everyMs?: number };
}

export interface ServerCore {
  options: Required<Pick<ServerOptions, 'host' | 'port' | 'bodyLimit'>> & ServerOptions;
  env: Record<string, string | undefined>;
  state: WorkspaceState;
  db: ServerDb;
  live: LiveLedger;
  log: DecisionLog | null;
  /** The decision log's head checked at start and periodically (null without a log). */
  logWatch: DecisionLogWatch | null;
  /** Checkpoints of the embedded database (null on PostgreSQL, which has its own checkpointer). */
  checkpointer: WalCheckpointer | null;
  auth: AuthService;
  decisions: DecisionService;
  editor: WorkspaceEditor;
  key: KeyObject | null;
  /** Why executions are unavailable (no key), or null. */
  keyProblem: Msg | null;
  now(): Date;
  /** Memoised read answers, dropped when the workspace or the ledger changes. */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>;
  /** How many times each costly read was computed (memo misses): tests and operators see the memo work. */
  computed: { assessments: number };
  /**
   * The officer's first page prepared in the background (today's assessment and life cycle), started
   * once the server listens and after each workspace reload; settles (never rejects) when done. Null
   * before the server listens. docs/web.md, "Prepared after start".
   */
  prepared: Promise<void> | null;
  closing: boolean;
  startedAt: string;
  /** Problems /v1/health reports to authenticated callers (add one per concern; status is degraded while any reports). */
  healthChecks: HealthCheck[];
}

export interface ChujingServer {
  app: FastifyInstance;
  core: ServerCore;
  /** Start listening; resolves with the base URL. */
  listen(): Promise<string>;
  /** A one-time login link for the browser (a new one each call; the previous one stops working). */
  loginLink(base: string): string;
  /** Stop accepting, finish in-flight requests, flush the decision log, close the database. */
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/**
 * An error as the log shows it. The database's errors carry the statement's whole text (`query`): a
 * decision batch's is kilobytes, so it is cut, and any other own field is kept as it is.
 */
export function logError(e: Error): { [key: string]: unknown; type: string; message: string; stack: string } {
  const out: { [key: string]: unknown; type: string; message: string; stack: string } = { type: e.constructor?.name ?? 'Error', message: e.message, stack: e.stack ?? '' };
  for (const [k, v] of Object.entries(e)) {
    if (k === 'query' && typeof v === 'string') out.query = v.length > 200 ? `${v.slice(0, 200)}… (${v.length} characters)` : v;
    else if (k === 'params' || typeof v === 'function') continue;
    else out[k] = v;
  }
  return out;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** How long `fn` took, in milliseconds. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return Math.round(performance.now() - started);
}

function langOfRequest(req: FastifyRequest): Lang {
  return (req as { chujingLang?: Lang }).chujingLang ?? acceptLanguage(req.headers['accept-language']) ?? 'en';
}

export async function createServer(options: ServerOptions): Promise<ChujingServer> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const opts = { host: '127.0.0.1', port: 8080, bodyLimit: 1024 * 1024, ...options };
  const now = options.now ?? (() => new Date());
  const stream = options.logStream ?? process.stderr;
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info', stream, serializers: { err: logError } },
    // Our own one line per request (onResponse below), never the raw URL.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Request ids for the log only.
    requestIdHeader: false,
    // Ids are at most 200 characters (the workspace format bounds them); a longer parameter is a 414.
    // (Under routerOptions: Fastify 5 warns on every start when router options are given at the top level.)
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Malformed URLs in our error shape (the route's handler never runs).
    frameworkErrors: (err, req, reply) => {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
      const r = toErrorResponse(err);
      (reply as FastifyReply).code(r.status).header('content-type', 'application/json; charset=utf-8');
      return (reply as FastifyReply).send(renderJson(r.body, acceptLanguage(req.headers['accept-language']) ?? 'en'));
    },
    // Errors Node's parser meets before a request exists (431 headers too large, 400, 408).
    clientErrorHandler: (err, socket) => {
      if ((err as NodeJS.ErrnoException).code === 'ECONNRESET' || socket.destroyed) return;
      if (socket.writable) {
        const e = err as NodeJS.ErrnoException;
        const body = clientErrorResponse(e, http.maxHeaderSize);
        const status = e.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
        socket.write(`HTTP/1.1 ${status}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
      }
      socket.destroy(err);
    },
  });

  // Load the workspace before anything listens: a server never starts on an invalid workspace.
  const target = resolveWorkspaceFile(resolve(cwd, options.workspace));
  const state = new WorkspaceState({
    target,
    // Files are named relative to the workspace folder in errors (never the server's own paths).
    cwd: dirname(target),
    env,
    log: app.log,
    onChange: () => {
      memo.clear();
      warm();
      prepareUi();
    },
  });
  // Everything a decision needs that does not depend on the request, computed when a workspace loads
  // (evidence measured under today's pack, the working-day calendar), not by the first request.
  const warm = () => {
    void state.measured(todayInChina(now())).catch(() => {});
    void state.calendar().catch(() => {});
  };
  const ws = state.current.loaded.workspace;
  warm();
  // The web UI's first page needs today's assessment (about a second of CPU at 10,000 transfers).
  // Prepared once the server listens and after each reload, not on every ledger change (a busy gate
  // would recompute it for nobody); in the next turn of the event loop, so that connections already
  // accepted are served first. The UI's request awaits the same memoised promise (core.memo), never a
  // second computation. Decisions never read it.
  let listening = false;
  const prepareUi = () => {
    if (!listening) return;
    core.prepared = new Promise<void>((done) =>
      setImmediate(() => {
        if (core.closing) return done();
        lifecycleOf(core, todayInChina(now())).then(
          () => done(),
          (e: unknown) => {
            app.log.warn({ event: 'ui-prepare-failed', error: (e as Error).message }, 'preparing the web UI failed; its first request computes it');
            done();
          },
        );
      }),
    );
  };

  let key: KeyObject | null = null;
  let keyProblem: Msg | null = null;
  try {
    key = resolveHmacKey({ env, envVar: ws.settings.hmacKeyEnv, keyFile: options.keyFile ? resolve(cwd, options.keyFile) : undefined, allowReadableKeyFile: !!options.allowReadableKeyFile });
  } catch (e) {
    keyProblem = e instanceof ChujingError && typeof e.summary !== 'string' ? e.summary : msg('server.execution.no-key');
    if (options.keyFile) throw e; // a key file named but unusable is a mistake, not a choice
  }

  // The server owns the embedded database while it runs: the lock says so (and, once listening, where),
  // so that CLI commands are told to go through the server instead of waiting.
  const store = (await openStore({ workspaceDir: state.dir, env, owner: { role: 'server' }, inThread: true, lockTimeoutMs: options.databaseLockTimeoutMs ?? DEFAULT_DATABASE_LOCK_TIMEOUT_MS, silentHolderTimeoutMs: SILENT_HOLDER_TIMEOUT_MS, onNotice: (m) => app.log.warn({ event: 'stale-lock-taken-over', message: text('en', m) }, text('en', m)) }))!;
  const db = new ServerDb(store);
  let fleet: Fleet | null = null;
  // A failing database (a full disk, a lost server) is logged when it begins and when it ends, not once
  // per request that meets it (failure.ts); health reports it meanwhile.
  store.health?.on((e) => {
    if (e.type === 'failing') app.log.error({ event: 'database-failing', kind: e.failure.kind, error: e.failure.detail }, text('en', failureSummary(e.failure.kind, store.location)));
    else app.log.info({ event: 'database-recovered', kind: e.failure.kind, failures: e.failure.failures, ms: e.ms }, 'the database answers again');
  });
  const organizations = [ws.organization.id, ...ws.affiliates.map((a) => a.id)];
  let live: LiveLedger;
  try {
    live = await db.exclusive((s) => LiveLedger.load(s, organizations, chinaYear(now().toISOString())));
  } catch (e) {
    await db.close();
    throw e;
  }
  const log = options.decisionLog === false ? null : new DecisionLog(db, key ? { key } : {});
  // Before retention runs (it moves the chain's base): a truncated log is found as it was left.
  let anchored: AnchoredLogHead | null = null;
  try {
    anchored = log ? loadAnchoredLogHead(state.dir) : null;
  } catch (e) {
    // An anchor that does not verify checks nothing; `ledger verify --against` says why.
    app.log.warn({ event: 'anchor-unusable', error: (e as Error).message }, 'the workspace anchor does not verify: the decision log is checked without it');
  }
  const logWatch = log ? new DecisionLogWatch(db, key, (b) => app.log.error({ event: 'decision-log-broken', kind: b.kind, from: b.from, to: b.to }, text('en', b.problem)), anchored, options.decisionLogCheckWindow) : null;
  try {
    await logWatch?.check({ rethrow: true });
  } catch (e) {
    await db.close();
    throw e;
  }
  logWatch?.start(options.decisionLogCheckMs ?? 60_000);
  // PGlite never checkpoints while it runs: the server does, or its log grows without bound (pglite-checkpoint.ts).
  // By the machine's clock, not `now`: a clock pinned for the legal dates must not stop checkpoints.
  const checkpointer =
    store.kind === 'pglite'
      ? new WalCheckpointer((sql) => db.autocommit(sql), options.checkpoint ?? {}, Date.now, ({ walBytes, ms, vacuumMs, xidAge, failed, error }) => {
          if (failed === 'checkpoint') app.log.error({ event: 'database-checkpoint-failed', walBytes, ms, error: error?.message }, 'the embedded database could not be checkpointed');
          else {
            if (failed === 'vacuum') app.log.error({ event: 'database-vacuum-failed', xidAge, error: error?.message }, 'the embedded database could not be vacuumed before its checkpoint');
            app.log.info({ event: 'database-checkpoint', walBytes, ms, vacuumMs, xidAge }, 'embedded database vacuumed and checkpointed');
          }
        })
      : null;
  try {
    await checkpointer?.tick();
  } catch (e) {
    await db.close();
    throw e;
  }
  checkpointer?.start(options.checkpoint?.everyMs ?? 5_000);
  const auth = new AuthService(db, options.limiter ? { limiter: options.limiter } : {});
  await auth.refresh();

  const memo = new Map<string, Promise<unknown>>();
  let memoVersion = live.version;
  const core: ServerCore = {
    options: opts,
    env,
    state,
    db,
    live,
    log,
    logWatch,
    checkpointer,
    auth,
    decisions: undefined as unknown as DecisionService,
    editor: undefined as unknown as WorkspaceEditor,
    key,
    keyProblem,
    now,
    computed: { assessments: 0 },
    prepared: null,
    memo<T>(k: string, make: () => Promise<T>): Promise<T> {
      if (memoVersion !== live.version) {
        memo.clear();
        memoVersion = live.version;
      }
      const full = `${state.current.revision}|${k}`;
      let p = memo.get(full) as Promise<T> | undefined;
      if (!p) {
        p = make();
        memo.set(full, p);
        p.catch(() => memo.delete(full));
      }
      return p;
    },
    closing: false,
    startedAt: now().toISOString(),
    // A broken decision log is a problem health reports (issue 19); the workspace's own is built in.
    healthChecks: [
      () => decisionLogProblems(core).map((message) => ({ message })),
      () => {
        const f = store.health?.current();
        return f ? [{ message: msg('server.health.database-failing', { problem: failureSummary(f.kind, store.location), since: f.since, failures: f.failures, detail: f.detail }) }] : [];
      },
      () => {
        const disagreement = fleet?.problem();
        return disagreement ? [{ message: disagreement }] : [];
      },
      () => {
        const status = checkpointer?.current();
        return [
          ...(status?.failed ? [{ message: msg('server.health.checkpoint-failed', { why: status.failed }) }] : []),
          ...(status?.vacuumFailed ? [{ message: msg('server.health.vacuum-failed', { why: status.vacuumFailed, age: status.xidAge }) }] : []),
        ];
      },
    ],
  };
  core.decisions = new DecisionService({ state, db, live, log, key, keyFingerprint: key ? keyFingerprint(key) : null, shared: store.kind === 'postgres', now });
  core.editor = new WorkspaceEditor(state);

  // Security headers on every answer, errors included; CORS only for configured origins.
  const cors = new Set(options.corsOrigins ?? []);
  app.addHook('onRequest', async (req, reply) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    const origin = req.headers.origin;
    if (origin && cors.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
      reply.header('access-control-expose-headers', 'ETag, X-Chujing-Decision, X-Chujing-Result, X-Chujing-Reason, X-Chujing-Revision, Retry-After');
      if (req.method === 'OPTIONS') {
        reply.header('access-control-allow-methods', 'GET, POST, PUT, DELETE');
        reply.header('access-control-allow-headers', 'Authorization, Content-Type, If-Match, If-None-Match, Accept-Language');
        reply.header('access-control-max-age', '600');
        return reply.code(204).send();
      }
    }
  });
  // While stopping, every answer closes its connection (keep-alive would hold the close for minutes).
  app.addHook('onSend', async (_req, reply) => {
    if (core.closing) reply.header('connection', 'close');
  });
  // One line per request: method, route pattern (never the raw URL: a query may hold a login secret),
  // status, time, and who asked.
  app.addHook('onResponse', async (req, reply) => {
    const caller = (req as { chujingCaller?: string }).chujingCaller;
    req.log.info({ method: req.method, route: req.routeOptions.url ?? '(no route)', status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ...(caller ? { caller } : {}) }, 'request');
  });

  app.setErrorHandler(async (err, req, reply) => {
    const r = toErrorResponse(err);
    if (r.internal) req.log.error({ err }, 'internal error');
    for (const [k, v] of Object.entries(r.headers)) reply.header(k, v);
    // The gate's refusals carry their reason's code like its decisions do: a proxy passes it on to the
    // uploader (examples/nginx), who then reads "storage.disk-full", not a bare 500.
    if (isGateRoute(req.routeOptions.url) && isMsg(r.body.error.message)) reply.header('x-chujing-reason', r.body.error.message.code);
    reply.code(r.status).header('content-type', 'application/json; charset=utf-8');
    return reply.send(renderJson(r.body, langOfRequest(req)));
  });
  app.setNotFoundHandler(async (req, reply) => {
    const body = { schema: 'chujing.error/1', error: { code: 'not-found', status: 404, message: msg('server.request.no-route', { method: req.method, path: req.url.split('?')[0]! }), issues: [] } };
    reply.code(404).header('content-type', 'application/json; charset=utf-8');
    return reply.send(renderJson(body, langOfRequest(req)));
  });

  // JSON only: any other body is a 415 in our error shape (Fastify would take text/plain as a string),
  // except on the gate, which ignores bodies (a proxy may forward the upload's own content type).
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, _body, done) => {
    if (req.url.startsWith('/v1/gate')) return done(null, undefined);
    done(Object.assign(new Error('unsupported media type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }), undefined);
  });

  const routes = new Routes(app, auth);
  // Fail closed: while the decision log is broken, nothing is decided (an egress gate answering 503
  // blocks the transfer) unless the operator accepted deciding on a broken record. Checked once the
  // caller is authenticated: the break's details are not for anyone who can reach the port.
  if (logWatch && !options.acceptBrokenDecisionLog) {
    routes.guard((req, def) => {
      const deciding = isGateRoute(def.url) || (req.method === 'POST' && (def.url === '/v1/decisions' || def.url === '/v1/executions'));
      const problem = deciding ? logWatch.problem() : null;
      if (problem) throw new HttpError('unavailable', msg('storage.decision-log-refused', { problem }), [{ field: 'decisionLog', message: problem, expected: msg('storage.decision-log-refused-expected') }]);
    });
  }
  registerMetaRoutes(routes, core, SERVER_VERSION, core.healthChecks);
  registerSessionRoutes(routes, core);
  registerReadRoutes(routes, core);
  registerWorkspaceRoutes(routes, core);
  registerDecisionRoutes(routes, core);
  registerGateRoute(routes, core);
  registerTokenRoutes(routes, core);
  registerWebUi(app, routes, core);

  // Retention: decisions older than the retention setting (SEC-LOG-1's years) are pruned daily.
  const prune = async () => {
    if (!log) return;
    const years = state.current.loaded.workspace.settings.logRetentionYears;
    const cutoffDate = addYears(todayInChina(now()), -years);
    const cutoff = new Date(`${cutoffDate}T00:00:00+08:00`).toISOString();
    try {
      const n = await log.prune(cutoff);
      // PGlite runs no autovacuum, and the vacuum before each checkpoint leaves indexes alone: the
      // removed rows' index entries and line pointers are cleaned here, once a day (a pass over each
      // index: 37 ms at a million batches).
      const vacuumMs =
        n && store.kind === 'pglite'
          ? await timed(() => db.autocommit(RETENTION_VACUUM)).catch((e: unknown) => {
              app.log.error({ event: 'decision-log-vacuum-failed', error: (e as Error).message }, 'the decision log could not be vacuumed after retention');
              return null;
            })
          : null;
      if (n) app.log.info({ event: 'decision-log-pruned', removed: n, before: cutoff, vacuumMs }, 'decisions beyond the retention removed');
    } catch (e) {
      app.log.error({ event: 'decision-log-prune-failed', error: (e as Error).message }, 'decision log retention failed');
    }
  };
  await prune();
  const pruneTimer = setInterval(() => void prune(), 24 * 3_600_000);
  pruneTimer.unref();

  // With a shared PostgreSQL, tokens and ledger appends made elsewhere are picked up periodically, and
  // the servers compare the workspace revisions they decide on (fleet.ts).
  let refreshTimer: NodeJS.Timeout | null = null;
  if (store.kind === 'postgres') {
    fleet = new Fleet(db);
    await fleet.join();
    await fleet.beat(state.current.revision);
    refreshTimer = setInterval(() => {
      void auth.refresh().catch(() => {});
      void db.exclusive((s) => live.refreshIfChanged(s, chinaYear(now().toISOString()))).catch(() => {});
      void fleet!.beat(state.current.revision).catch(() => {});
    }, 1000);
    refreshTimer.unref();
  }

  if (options.watch !== false) state.watch();

  let closed: Promise<void> | null = null;
  return {
    app,
    core,
    async listen() {
      await app.listen({ host: opts.host, port: opts.port });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      const url = `http://${host}:${port}`;
      store.announce?.({ url });
      listening = true;
      prepareUi();
      return url;
    },
    loginLink(base: string) {
      return `${base}/login?token=${auth.newLoginSecret()}`;
    },
    close() {
      closed ??= (async () => {
        core.closing = true;
        clearInterval(pruneTimer);
        logWatch?.stop();
        await checkpointer?.stop();
        if (refreshTimer) clearInterval(refreshTimer);
        state.close();
        await app.close(); // stops accepting, waits for in-flight requests
        await core.prepared; // a preparation holding the database finishes before it closes
        await log?.close(); // every acknowledged decision is already committed; this drains the rest
        await fleet?.leave().catch(() => {});
        await db.close();
      })();
      return closed;
    },
  };
}
