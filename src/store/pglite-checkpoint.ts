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
 */

/** Runs one statement outside any transaction and returns its rows. */
export type RunStatement = (sql: string) => Promise<Record<string, unknown>[]>;

export interface CheckpointPolicy {
  /** Checkpoint once this much log has been written since the last checkpoint's redo point. */
  maxWalBytes: number;
  /** Checkpoint once the last one is this old, if anything was written since. */
  maxAgeMs: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { maxWalBytes: 32 * 1024 * 1024, maxAgeMs: 5 * 60_000 };

/** What the last look at the log found, and the last checkpoint this process ran. */
export interface CheckpointStatus {
  /** Bytes of log written since the redo point of the last checkpoint (what a crash would replay). */
  walSinceCheckpoint: number;
  /** When this process last ran a checkpoint (ISO instant), or null. */
  lastAt: string | null;
  /** How long it took, in milliseconds. */
  lastMs: number | null;
  /** Why the last attempt failed, or null if it did not. */
  failed: string | null;
}

/** The log's insert position and the last checkpoint's redo point, as bytes behind. */
const WAL_BEHIND = 'SELECT (pg_current_wal_insert_lsn() - redo_lsn)::bigint AS behind, pg_current_wal_insert_lsn()::text AS at FROM pg_control_checkpoint()';

export class WalCheckpointer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<boolean> | null = null;
  /** The log position when the last checkpoint ended (or at start): nothing written while it stays. */
  private quietAt: string | null = null;
  private lastAtMs: number;
  private readonly status: CheckpointStatus = { walSinceCheckpoint: 0, lastAt: null, lastMs: null, failed: null };

  constructor(
    private readonly run: RunStatement,
    private readonly policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
    private readonly now: () => number = Date.now,
    /** Told after each checkpoint (for the server's log). */
    private readonly onCheckpoint: (done: { walBytes: number; ms: number; error: Error | null }) => void = () => {},
  ) {
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
    this.status.walSinceCheckpoint = behind;
    this.quietAt ??= at;
    const written = at !== this.quietAt;
    const due = behind >= this.policy.maxWalBytes || (written && this.now() - this.lastAtMs >= this.policy.maxAgeMs);
    if (!due) return false;
    const started = this.now();
    try {
      await this.run('CHECKPOINT');
    } catch (e) {
      // A failed checkpoint (a data file that cannot be synced) is reported; the next tick tries again.
      this.fail(e, behind, started);
      return false;
    }
    const [after] = await this.run(WAL_BEHIND);
    this.quietAt = String(after?.at ?? '');
    this.status.walSinceCheckpoint = Number(after?.behind ?? 0);
    this.lastAtMs = this.now();
    this.status.lastAt = new Date(this.lastAtMs).toISOString();
    this.status.lastMs = this.lastAtMs - started;
    this.status.failed = null;
    this.onCheckpoint({ walBytes: behind, ms: this.status.lastMs, error: null });
    return true;
  }

  /** Record and tell a failed attempt: health reports it until a checkpoint succeeds. */
  private fail(e: unknown, walBytes: number, started: number): void {
    const error = e instanceof Error ? e : new Error(String(e));
    this.status.failed = error.message;
    this.onCheckpoint({ walBytes, ms: this.now() - started, error });
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
