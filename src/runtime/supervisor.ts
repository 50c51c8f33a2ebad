// The connectors role: runs this process's share of the enabled connectors. Every second it announces itself,
// reads which connectors are enabled, stops the ones an admin changed or removed, gives back any beyond its
// share, and tries to take leases on the rest (in a random order, so processes spread out). A connector it
// holds runs in a receiver (receiver.ts) whose cursor and health writes are fenced by the lease's token.
import type { ConnectorHealth } from '../../connectors/connector.ts';
import type { Db } from '../db/client.ts';
import type { Metrics } from '../metrics.ts';
import { safeErrorMessage, type Logger } from '../log.ts';
import type { EventBus } from '../pipeline/notify.ts';
import { enqueueInbound, type Queues } from '../queues/index.ts';
import type { ConnectorPool, ConnectorRecord } from './connector-pool.ts';
import type { Lease, LeaseManager } from './lease.ts';
import { runReceiver, type ReceiverHost } from './receiver.ts';

const TICK_MS = 1000;

interface Running {
  version: number;
  lease: Lease;
  startedAt: number;
  controller: AbortController;
  done: Promise<void>;
}

export interface SupervisorDeps {
  db: Db;
  pool: ConnectorPool;
  queues: Queues;
  events: EventBus;
  leases: LeaseManager;
  metrics: Metrics;
  log: Logger;
}

export class ConnectorSupervisor {
  private readonly running = new Map<string, Running>();
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private syncing = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: SupervisorDeps) {}

  /** Takes this process's share at once, then keeps it in line every second and on every connector change. */
  async start(): Promise<void> {
    this.unsubscribe = await this.deps.events.subscribe((e) => {
      if (e.type === 'connector.changed') void this.sync();
    });
    await this.sync();
    this.timer = setInterval(() => void this.sync(), TICK_MS);
  }

  /** Brings what this process runs in line with the database and the other processes. Calls are serialized. */
  sync(): Promise<void> {
    this.syncing = this.syncing
      .then(() => (this.stopped ? undefined : this.reconcile()))
      .catch((err) => this.deps.log.error({ err: safeErrorMessage(err) }, 'connector sync failed'));
    return this.syncing;
  }

  private async reconcile(): Promise<void> {
    const { db, leases } = this.deps;
    const live = await leases.announce();
    const records = await db.connector.findMany({ where: { enabled: true, deletedAt: null } });
    const wanted = new Map(records.map((r) => [r.id, r]));
    for (const [id, run] of this.running) {
      const record = wanted.get(id);
      if (!record || record.configVersion !== run.version || run.lease.signal.aborted) await this.stopOne(id);
    }
    // This process's share; the rest is left to the others (a dead one drops out of `live` within a lease ttl).
    const share = Math.ceil(records.length / live);
    const newestFirst = [...this.running.entries()].sort((a, b) => b[1].startedAt - a[1].startedAt);
    for (const [id] of newestFirst.slice(0, Math.max(0, this.running.size - share))) await this.stopOne(id);

    for (const record of shuffle(records.filter((r) => !this.running.has(r.id)))) {
      if (this.running.size >= share) break;
      const lease = await leases.acquire(record.id);
      if (!lease) continue;
      if (!(await this.claim(record.id, lease))) continue;
      this.startOne(record, lease);
    }
  }

  /**
   * Makes the database refuse writes from earlier holders: sets the connector's fence to our token. False when
   * the database already knows a higher token (Redis lost its fence counter): the counter is raised past it and
   * the lease given back, so the next attempt gets a valid token.
   */
  private async claim(connectorId: string, lease: Lease): Promise<boolean> {
    const { db, leases } = this.deps;
    const claimed = await db.connector.updateMany({ where: { id: connectorId, cursorFence: { lte: lease.token } }, data: { cursorFence: lease.token } });
    if (claimed.count === 1) return true;
    const row = await db.connector.findUnique({ where: { id: connectorId }, select: { cursorFence: true } });
    if (row) await leases.raiseFence(connectorId, row.cursorFence);
    await lease.release();
    return false;
  }

  private startOne(record: ConnectorRecord, lease: Lease): void {
    const { pool, log } = this.deps;
    const controller = new AbortController();
    const stopOnLoss = () => controller.abort();
    lease.signal.addEventListener('abort', stopOnLoss, { once: true });
    const run = async () => {
      try {
        const connector = pool.instance(record);
        log.info({ connectorId: record.id, platform: record.platform, token: lease.token }, 'took the connector');
        const end = await runReceiver(connector, this.host(record, lease), controller.signal, {
          onCursorError: (err) => log.warn({ connectorId: record.id, err: safeErrorMessage(err) }, 'could not save the cursor'),
          onError: (error) => this.deps.metrics.platformError(record.platform, error),
        });
        if (end === 'lease_lost' || (lease.signal.aborted && !controller.signal.aborted)) {
          log.warn({ connectorId: record.id }, 'another process took the connector over; stopped receiving');
          // A refused write with the Redis lease still ours (Redis lost its fence counter): give it back, so the
          // next attempt claims the connector with a token above the database's.
          await lease.release();
        }
      } catch (err) {
        // The stored configuration no longer validates: nothing to run until an admin fixes it.
        this.writeHealth(record.id, lease.token, { status: 'error', lastError: safeErrorMessage(err) });
      } finally {
        lease.signal.removeEventListener('abort', stopOnLoss);
      }
    };
    this.running.set(record.id, { version: record.configVersion, lease, startedAt: Date.now(), controller, done: run() });
  }

  /** What a receiver needs, backed by the inbound queue and the connector's row, fenced by the lease's token. */
  private host(record: ConnectorRecord, lease: Lease): ReceiverHost {
    const { db, queues, metrics } = this.deps;
    const id = record.id;
    return {
      sink: async (events) => {
        await enqueueInbound(queues, events);
        metrics.received(record.platform, events.length);
      },
      loadCursor: async () => (await db.connector.findUnique({ where: { id }, select: { cursor: true } }))?.cursor ?? null,
      saveCursor: async (cursor) => {
        const saved = await db.connector.updateMany({ where: { id, cursorFence: { lte: lease.token } }, data: { cursor, cursorFence: lease.token } });
        return saved.count === 1;
      },
      reportHealth: (health) => {
        this.writeHealth(id, lease.token, health);
      },
      connected: async (me) => {
        if (me.id !== record.botUserId) await db.connector.update({ where: { id }, data: { botUserId: me.id } });
      },
    };
  }

  private writeHealth(id: string, token: number, health: ConnectorHealth): void {
    this.deps.log.info({ connectorId: id, status: health.status, lastError: health.lastError }, 'connector health');
    this.deps.db.connector
      .updateMany({
        where: { id, cursorFence: { lte: token } },
        data: { healthStatus: health.status, healthAt: new Date(), ...(health.lastError !== undefined ? { lastError: health.lastError } : {}) },
      })
      .catch(() => {}); // the database is away: the next change is written when it is back
  }

  private async stopOne(id: string): Promise<void> {
    const run = this.running.get(id);
    if (!run) return;
    this.running.delete(id);
    run.controller.abort();
    await run.done;
    await run.lease.release();
    this.deps.pool.forget(id);
  }

  /** Stops every connector (cursors flushed, health `stopped`) and gives their leases back. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.syncing;
    await this.deps.leases.withdraw().catch(() => {});
    await Promise.all([...this.running.keys()].map((id) => this.stopOne(id)));
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
