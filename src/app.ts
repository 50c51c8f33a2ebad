// Assembles one inbox process from its parts. Which parts run is chosen by ROLES (api, workers, connectors), so
// the same code scales out: several API processes, several workers, one set of connectors.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { registry as defaultRegistry, type ConnectorRegistry } from '../connectors/registry.ts';
import { createApi } from './api/index.ts';
import type { Config } from './config.ts';
import { CredentialCipher } from './db/cipher.ts';
import { createDb, createSqlPool, type Db } from './db/client.ts';
import { safeErrorMessage, type Logger } from './log.ts';
import { InboundPipeline } from './pipeline/index.ts';
import { EventBus } from './pipeline/notify.ts';
import { startActionsWorker } from './queues/actions.ts';
import { createQueues, createRedis, type Queues } from './queues/index.ts';
import { startInboundWorker } from './queues/inbound.ts';
import { startOutboundWorker } from './queues/outbound.ts';
import { ConnectorPool } from './runtime/connector-pool.ts';
import { UsageStore } from './runtime/usage.ts';
import { Metrics } from './metrics.ts';
import { LeaseManager } from './runtime/lease.ts';
import { ConnectorSupervisor } from './runtime/supervisor.ts';
import type { Demo } from './demo/index.ts';
import { PresenceTracker } from './workspace/presence.ts';
import { Readiness } from './readiness.ts';

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  redisUrl: string;
  appSecret: string;
  log: Logger;
  registry?: ConnectorRegistry;
  /** Demo mode's simulated world, when it runs (enables POST /api/demo/messages). */
  demo?: Demo;
}

export interface App {
  /** Where the API listens (http://host:port), when the api role runs. */
  url: string;
  db: Db;
  queues: Queues;
  events: EventBus;
  pipeline: InboundPipeline;
  /** The live connector instances of this process. */
  pool: ConnectorPool;
  /** Per-connector request counts and estimated spend. */
  usage: UsageStore;
  /** What `/readyz` still waits for. */
  readiness: Readiness;
  stop(): Promise<void>;
}

export async function startApp(options: AppOptions): Promise<App> {
  const { config, log } = options;
  const registry = options.registry ?? defaultRegistry;
  const roles = new Set(config.roles);
  // Every pool and client reports connection trouble instead of crashing; each reconnects by itself.
  const dbTrouble = (err: Error) => log.warn({ err: safeErrorMessage(err) }, 'a database connection was closed by the server');
  const redisTrouble = (err: Error) => log.warn({ err: safeErrorMessage(err) }, 'redis connection trouble');
  const db = createDb(options.databaseUrl, 20, dbTrouble);
  const sql = createSqlPool(options.databaseUrl, dbTrouble);
  const redis = createRedis(options.redisUrl, redisTrouble);
  const events = new EventBus(options.redisUrl, config.queuePrefix, redisTrouble);
  const queues = createQueues(options.redisUrl, config.queuePrefix, options.appSecret, redisTrouble);
  const cipher = new CredentialCipher(options.appSecret);
  const readiness = new Readiness();
  if (roles.has('workers')) readiness.expect('workers');
  if (roles.has('connectors')) readiness.expect('connectors');

  // The API listens first: the webhook URLs handed to platforms need its real port.
  let server: Server | undefined;
  let url = '';
  if (roles.has('api')) {
    server = createServer();
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(config.port, config.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    url = `http://localhost:${port}`;
  }
  const publicUrl = (config.publicUrl ?? url ?? '').replace(/\/$/, '');
  const usage = new UsageStore(redis, config.queuePrefix);
  const metrics = new Metrics(redis, config.queuePrefix);
  const pool = new ConnectorPool(db, cipher, registry, publicUrl, usage, metrics);
  const pipeline = new InboundPipeline({ db, sql, events, actions: queues.actions, log });
  const dropStale = await events.subscribe((e) => {
    if (e.type === 'connector.changed') pool.forget(e.connectorId);
  });

  const presence = new PresenceTracker(redis, events, config.queuePrefix);
  if (server) server.on('request', createApi({ db, redis, queues, events, pool, registry, cipher, log, publicUrl, readiness, presence, usage, metrics, metricsToken: config.metricsToken, demo: options.demo, redisPrefix: config.queuePrefix, trustProxy: config.trustProxy }));

  const workers: Worker[] = [];
  if (roles.has('workers')) {
    const common = { redisUrl: options.redisUrl, prefix: config.queuePrefix };
    workers.push(startInboundWorker({ ...common, pipeline, payloads: queues.payloads, log }));
    workers.push(startOutboundWorker({ ...common, db, pool, events, log, queue: queues.outbound }));
    workers.push(startActionsWorker({ ...common, db, pool, events, log }));
    for (const w of workers) {
      w.on('error', (err) => log.error({ err: safeErrorMessage(err), queue: w.name }, 'worker error'));
      // A failed attempt is retried (or, for good, visible in BullMQ's failed set): say so either way.
      w.on('failed', (job, err) => log.warn({ queue: w.name, jobId: job?.id, attempt: job?.attemptsMade, err: safeErrorMessage(err) }, 'job attempt failed'));
    }
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    readiness.done('workers', () => workers.every((w) => w.isRunning()));
  }

  let supervisor: ConnectorSupervisor | undefined;
  if (roles.has('connectors')) {
    const leases = new LeaseManager(redis, config.queuePrefix, {
      ttlMs: config.leaseTtlMs,
      onLost: (connectorId, reason) => log.warn({ connectorId, reason }, 'lost the lease on a connector'),
    });
    supervisor = new ConnectorSupervisor({ db, pool, queues, events, leases, metrics, log });
    await supervisor.start();
    readiness.done('connectors');
  }

  return {
    url,
    db,
    queues,
    events,
    pipeline,
    pool,
    usage,
    readiness,
    stop: async () => {
      await supervisor?.stop();
      await Promise.all(workers.map((w) => w.close()));
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      dropStale();
      presence.stop();
      await usage.stop().catch(() => undefined);
      await metrics.stop().catch(() => undefined);
      await queues.close();
      await events.close();
      redis.disconnect();
      await db.$disconnect();
      await sql.end();
    },
  };
}
