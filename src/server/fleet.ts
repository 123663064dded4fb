/**
 * Several servers on one PostgreSQL decide for one organisation, so they must decide on one workspace.
 * On several hosts each has its own copy (a git checkout, a deployment): one left behind goes on
 * deciding on the old rules — an approval revoked on one host still lets uploads pass on the other —
 * while each server, on its own, is healthy. Each server therefore says in the database, every second,
 * which revision it serves and since when (the database's clock, so the hosts' clocks do not matter);
 * when another live server has served a different revision for longer than a reload takes, health is
 * `degraded` on both, naming the servers and revisions.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { msg, type Msg } from '../i18n/index.js';
import { HEALTH_NEUTRAL } from '../store/failure.js';
import type { ServerDb } from './db.js';

/** Longer than two servers on one folder take to reload the same change (file watch: under 1 s). */
export const FLEET_GRACE_SECONDS = 10;
/** A server not heard from for this long (stopped, paused, cut off) is not compared. */
const FLEET_LIVE_SECONDS = 5;
/** Rows of servers gone for a day are removed when a server starts. */
const FLEET_FORGET = '1 day';

export class Fleet {
  private readonly instance = randomUUID();
  /** Who this server is, for the other servers' health: host and process. */
  private readonly label = `${hostname()} pid ${process.pid}`.slice(0, 200);
  private disagreement: Msg | null = null;

  constructor(private readonly db: ServerDb) {}

  async join(): Promise<void> {
    await this.db.query(`${HEALTH_NEUTRAL}DELETE FROM server_instances WHERE seen_at < now() - interval '${FLEET_FORGET}'`);
  }

  /** Say which revision this server serves, and compare it with the other live servers'. */
  async beat(revision: string): Promise<void> {
    await this.db.query(
      `${HEALTH_NEUTRAL}INSERT INTO server_instances (instance, label, revision) VALUES ($1, $2, $3)
       ON CONFLICT (instance) DO UPDATE SET seen_at = now(), revision = EXCLUDED.revision,
         since = CASE WHEN server_instances.revision = EXCLUDED.revision THEN server_instances.since ELSE now() END`,
      [this.instance, this.label, revision],
    );
    const others = await this.db.query<{ label: string; revision: string }>(
      `SELECT o.label, o.revision FROM server_instances o JOIN server_instances me ON me.instance = $1
        WHERE o.instance <> $1 AND o.seen_at > now() - make_interval(secs => $2) AND o.revision <> me.revision
          AND greatest(o.since, me.since) < now() - make_interval(secs => $3)
        ORDER BY o.label`,
      [this.instance, FLEET_LIVE_SECONDS, FLEET_GRACE_SECONDS],
    );
    this.disagreement = others.length
      ? msg('server.health.fleet-disagrees', { revision, others: others.map((o) => `${o.label} (${o.revision})`).join(', '), seconds: FLEET_GRACE_SECONDS })
      : null;
  }

  /** The disagreement seen at the last beat, if any. */
  problem(): Msg | null {
    return this.disagreement;
  }

  async leave(): Promise<void> {
    await this.db.query(`${HEALTH_NEUTRAL}DELETE FROM server_instances WHERE instance = $1`, [this.instance]);
  }
}
