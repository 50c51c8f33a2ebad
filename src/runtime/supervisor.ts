// Runs every enabled connector that receives by itself (polling loop or gateway) in this process, restarts it
// with backoff when it fails, and restarts or stops it when an admin changes or removes it.
import { retryDelayMs, sleep } from '../../connectors/backoff.ts';
import { ConnectorError, NetworkError } from '../../connectors/errors.ts';
import type { Db } from '../db/client.ts';
import { safeErrorMessage, type Logger } from '../log.ts';
import type { EventBus } from '../pipeline/notify.ts';
import type { Queues } from '../queues/index.ts';
import type { ConnectorPool, ConnectorRecord } from './connector-pool.ts';
import { createRuntime } from './runtime.ts';

const RESYNC_MS = 5000;

interface Running {
  version: number;
  controller: AbortController;
  done: Promise<void>;
}


export class ConnectorSupervisor {
  private readonly running = new Map<string, Running>();
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private syncing = Promise.resolve();

  constructor(private readonly deps: { db: Db; pool: ConnectorPool; queues: Queues; events: EventBus; log: Logger }) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.deps.events.subscribe((e) => {
      if (e.type === 'connector.changed') void this.sync();
    });
    await this.sync();
    this.timer = setInterval(() => void this.sync(), RESYNC_MS);
  }

  /** Brings the running set in line with the database. Calls are serialized. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.reconcile()).catch((err) => this.deps.log.error({ err: safeErrorMessage(err) }, 'connector sync failed'));
    return this.syncing;
  }

  private async reconcile(): Promise<void> {
    const records = await this.deps.db.connector.findMany({ where: { enabled: true, deletedAt: null } });
    const wanted = new Map(records.map((r) => [r.id, r]));
    for (const [id, run] of this.running) {
      const record = wanted.get(id);
      if (!record || record.configVersion !== run.version) await this.stopOne(id);
    }
    for (const record of records) if (!this.running.has(record.id)) this.startOne(record);
  }

  private startOne(record: ConnectorRecord): void {
    const controller = new AbortController();
    const done = this.runLoop(record, controller.signal);
    this.running.set(record.id, { version: record.configVersion, controller, done });
  }

  private async stopOne(id: string): Promise<void> {
    const run = this.running.get(id);
    if (!run) return;
    this.running.delete(id);
    run.controller.abort();
    await run.done;
    this.deps.pool.forget(id);
  }

  private async runLoop(record: ConnectorRecord, signal: AbortSignal): Promise<void> {
    const { db, pool, log } = this.deps;
    const runtime = createRuntime(this.deps, record.id);
    let failures = 0;
    while (!signal.aborted) {
      try {
        const connector = pool.instance(record);
        runtime.reportHealth({ status: 'starting' });
        const me = await connector.connect();
        await db.connector.update({ where: { id: record.id }, data: { botUserId: me.id } });
        failures = 0;
        await connector.start(runtime, signal);
      } catch (err) {
        if (signal.aborted) break;
        const error = err instanceof ConnectorError ? err : new NetworkError(safeErrorMessage(err));
        if (error.kind === 'auth') {
          // Retrying a rejected token only hammers the platform: wait for an admin to fix it.
          runtime.reportHealth({ status: 'auth_failed', lastError: error.message });
          await sleep(2 ** 31 - 1, signal);
          break;
        }
        failures += 1;
        runtime.reportHealth({ status: 'error', lastError: error.message });
        log.warn({ connectorId: record.id, err: error.message }, 'connector stopped; restarting');
        await sleep(retryDelayMs(error, failures), signal);
      }
    }
    runtime.reportHealth({ status: 'stopped' });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.syncing;
    await Promise.all([...this.running.keys()].map((id) => this.stopOne(id)));
  }
}
