/**
 * Checkpoints for a long-running embedded database (the server's).
 *
 * PGlite runs PostgreSQL as a single-user backend. There is no checkpointer process, and a standalone
 * backend never asks for a checkpoint when its write-ahead log passes max_wal_size: PostgreSQL's
 * XLogWrite requests one only under the postmaster. So PGlite checkpoints only when it closes.
 * Measured with PGlite 0.3.16:
 * - 1.4 GB written left 1.5 GB in pg_wal, and the redo point never moved;
 * - through the server, pg_wal grew by 0.6 MB per 1,000 decisions (84 MB after 150,000).
 * Left alone, a gate's log grows without bound, about 5 GB a day at 100 decisions a second, until the
 * disk is full. A crash then replays everything written since the server started.
 *
 * So the database's owner runs CHECKPOINT itself, on PostgreSQL's own two triggers:
 * - max_wal_size: the log written since the last checkpoint passes `maxWalBytes`;
 * - checkpoint_timeout: anything was written and the last checkpoint is `maxAgeMs` old.
 * The sizes are smaller than PostgreSQL's defaults because a single-user checkpoint is immediate, not
 * spread over time. Measured under the decision benchmark: 60–140 ms for 16–28 MB of log. After each
 * one, PostgreSQL recycles the segments before the redo point: pg_wal stayed at 42–54 MB through
 * 234,000 decisions.
 * PostgreSQL servers have their own checkpointer: this is for PGlite only.
 *
 * Each checkpoint is preceded by a vacuum that freezes (PRE_CHECKPOINT_VACUUM), because PGlite runs
 * no autovacuum either:
 * - Transaction ids wrap around after 2^31. A single-user backend does not stop at PostgreSQL's limit
 *   (it only warns): rows older than 2^31 transactions would turn invisible, the decision log and the
 *   ledger with them. Each batch of decisions is a transaction: at 500 batches a second (the benchmark's
 *   rate) that is 50 days of running, at 20 a second three years. Frozen rows never wrap.
 * - Rows that retention deletes leave space that only a vacuum makes reusable: without it, the files
 *   grow by every row ever written.
 * Just before a checkpoint, the pages a vacuum visits are the ones written since the last (the others
 * are marked all-frozen), and they are dirty already, their full-page images already in the log: the
 * checkpoint writes them once, frozen. The `maxXidAge` trigger also checkpoints a database whose oldest
 * unfrozen transaction is that old (a database written before this existed, or whose vacuums failed).
 */

/** Runs one statement outside any transaction and returns its rows. */
export type RunStatement = (sql: string) => Promise<Record<string, unknown>[]>;

export interface CheckpointPolicy {
  /** Checkpoint once this much log has been written since the last checkpoint's redo point. */
  maxWalBytes: number;
  /** Checkpoint once the last one is this old, if anything was written since. */
  maxAgeMs: number;
  /** Checkpoint once the database's oldest unfrozen transaction is this many transactions old. */
  maxXidAge: number;
  /** Run PRE_CHECKPOINT_VACUUM before each checkpoint. */
  vacuum: boolean;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { maxWalBytes: 32 * 1024 * 1024, maxAgeMs: 5 * 60_000, maxXidAge: 1_000_000, vacuum: true };

/** What the last look at the log found, and the last checkpoint this process ran. */
export interface CheckpointStatus {
  /** Bytes of log written since the redo point of the last checkpoint (what a crash would replay). */
  walSinceCheckpoint: number;
  /** When this process last ran a checkpoint (ISO instant), or null. */
  lastAt: string | null;
  /** How long it took, in milliseconds. */
  lastMs: number | null;
  /** Why the last checkpoint failed, or null if it did not. */
  failed: string | null;
  /** Why the vacuum before the last checkpoint failed, or null if it did not. */
  vacuumFailed: string | null;
  /** Transactions since the database's oldest unfrozen one (age of datfrozenxid), at the last look. */
  xidAge: number;
}

/**
 * The vacuum before each checkpoint: whole database, rows frozen, indexes left alone. An index's
 * cleanup reads the whole index (the GIN index on decision ids: 36 against 6 ms at a million batches,
 * growing with the log); the indexes only need it once rows are deleted, which retention does (it
 * vacuums its tables with their indexes after removing rows).
 */
export const PRE_CHECKPOINT_VACUUM = 'VACUUM (FREEZE, INDEX_CLEANUP OFF)';

/** What one attempt did: `error` is that of the step `failed` (the checkpoint, or only the vacuum before it). */
export interface CheckpointDone {
  walBytes: number;
  ms: number;
  /** How long the vacuum before it took (part of `ms`); null without one. */
  vacuumMs: number | null;
  xidAge: number;
  failed: 'vacuum' | 'checkpoint' | null;
  error: Error | null;
}

/** The log's insert position and the last checkpoint's redo point, as bytes behind. */
const WAL_BEHIND = `SELECT (pg_current_wal_insert_lsn() - redo_lsn)::bigint AS behind, pg_current_wal_insert_lsn()::text AS at,
  (SELECT age(datfrozenxid) FROM pg_database WHERE datname = current_database()) AS xid_age FROM pg_control_checkpoint()`;

export class WalCheckpointer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<boolean> | null = null;
  /** The log position when the last checkpoint ended (or at start): nothing written while it stays. */
  private quietAt: string | null = null;
  private lastAtMs: number;
  private readonly policy: CheckpointPolicy;
  private readonly status: CheckpointStatus = { walSinceCheckpoint: 0, lastAt: null, lastMs: null, failed: null, vacuumFailed: null, xidAge: 0 };

  constructor(
    private readonly run: RunStatement,
    policy: Partial<CheckpointPolicy> = {},
    private readonly now: () => number = Date.now,
    /** Told after each checkpoint (for the server's log); `vacuumMs` is part of `ms`. */
    private readonly onCheckpoint: (done: CheckpointDone) => void = () => {},
  ) {
    this.policy = { ...DEFAULT_CHECKPOINT_POLICY, ...policy };
    // The database was checkpointed when it opened (a clean start) or recovered (end of recovery).
    this.lastAtMs = now();
  }

  /**
   * Look at the log and checkpoint if a trigger holds. Resolves with whether it checkpointed. One at
   * a time: a tick while one runs waits for it.
   */
  tick(): Promise<boolean> {
    this.running ??= this.check().finally(() => (this.running = null));
    return this.running;
  }

  private async check(): Promise<boolean> {
    const [row] = await this.run(WAL_BEHIND);
    const behind = Number(row?.behind ?? 0);
    const at = String(row?.at ?? '');
    const xidAge = Number(row?.xid_age ?? 0);
    this.status.walSinceCheckpoint = behind;
    this.status.xidAge = xidAge;
    this.quietAt ??= at;
    const written = at !== this.quietAt;
    const old = this.now() - this.lastAtMs >= this.policy.maxAgeMs;
    // The age trigger only where a vacuum can lower the age, and after a failed vacuum not at every look.
    const frozenLong = this.policy.vacuum && xidAge >= this.policy.maxXidAge && (this.status.vacuumFailed === null || old);
    const due = behind >= this.policy.maxWalBytes || (written && old) || frozenLong;
    if (!due) return false;
    const started = this.now();
    // A vacuum that fails is reported, and the checkpoint still runs.
    let vacuumError: Error | null = null;
    let vacuumMs: number | null = null;
    if (this.policy.vacuum) {
      try {
        await this.run(PRE_CHECKPOINT_VACUUM);
      } catch (e) {
        vacuumError = e instanceof Error ? e : new Error(String(e));
      }
      vacuumMs = this.now() - started;
    }
    try {
      await this.run('CHECKPOINT');
    } catch (e) {
      // A failed checkpoint (a data file that cannot be synced) is reported; the next tick tries again.
      this.fail(e, behind, started, vacuumMs, xidAge);
      return false;
    }
    const [after] = await this.run(WAL_BEHIND);
    this.quietAt = String(after?.at ?? '');
    this.status.walSinceCheckpoint = Number(after?.behind ?? 0);
    this.lastAtMs = this.now();
    this.status.lastAt = new Date(this.lastAtMs).toISOString();
    this.status.lastMs = this.lastAtMs - started;
    this.status.xidAge = Number(after?.xid_age ?? xidAge);
    this.status.failed = null;
    this.status.vacuumFailed = vacuumError?.message ?? null;
    this.onCheckpoint({ walBytes: behind, ms: this.status.lastMs, vacuumMs, xidAge: this.status.xidAge, failed: vacuumError ? 'vacuum' : null, error: vacuumError });
    return true;
  }

  /** Record and tell a failed attempt: health reports it until a checkpoint (and its vacuum) succeeds. */
  private fail(e: unknown, walBytes: number, started: number, vacuumMs: number | null = null, xidAge = this.status.xidAge): void {
    const error = e instanceof Error ? e : new Error(String(e));
    this.status.failed = error.message;
    this.onCheckpoint({ walBytes, ms: this.now() - started, vacuumMs, xidAge, failed: 'checkpoint', error });
  }

  /**
   * Look every `intervalMs` (the timer does not keep the process alive). A look that fails (the log's
   * position cannot be read) is reported as a failed attempt, never dropped unseen.
   */
  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      const started = this.now();
      void this.tick().catch((e: unknown) => this.fail(e, this.status.walSinceCheckpoint, started));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stop looking; resolves once a checkpoint under way has ended. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }

  current(): CheckpointStatus {
    return { ...this.status };
  }
}
