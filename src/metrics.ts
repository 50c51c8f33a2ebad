// What operators of a many-process deployment need to see, at GET /metrics in Prometheus's text format
// (prom-client). Any API process answers for the whole deployment: counters are added up in Redis (every process
// counts in memory and adds its counts to one hash every few seconds), and the rest is read at scrape time from
// where it lives (queue depths and lease holders in Redis, connector health and guard actions in PostgreSQL).
//
//   inbox_queue_jobs{queue,state}                       jobs waiting, active, delayed, failed per queue
//   inbox_events_received_total{platform}               events handed over by connectors (ingest rate)
//   inbox_platform_calls_total{platform,call,outcome}   send / remove_public / open_direct, ok or error (send rate)
//   inbox_platform_errors_total{platform,kind}          ConnectorError kinds, receiving and sending
//   inbox_guard_actions_total{kind,status}              the guard's warnings, removals and DMs
//   inbox_connector_lease_held{connector,platform,holder}  1 per connector held by a process (holder = host:pid:id)
//   inbox_connector_health{connector,platform,status}   1 for each connector's current health
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Connector } from '../connectors/connector.ts';
import { ConnectorError } from '../connectors/errors.ts';
import type { Db } from './db/client.ts';
import type { Platform } from './domain/types.ts';
import type { Queues } from './queues/index.ts';

const FLUSH_MS = 2_000;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

type CounterName = 'events_received' | 'platform_calls' | 'platform_errors';

/** Counts events in this process and adds them to the deployment's totals in Redis every couple of seconds. */
export class Metrics {
  private pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  key = (name: CounterName) => `${this.prefix}:metrics:${name}`;

  /** `count` events a connector handed over. */
  received(platform: Platform, count: number): void {
    if (count > 0) this.add('events_received', [platform], count);
  }

  /** A platform call made for the workers (send, remove_public, open_direct) and how it ended. */
  platformCall(platform: Platform, call: string, outcome: 'ok' | 'error'): void {
    this.add('platform_calls', [platform, call, outcome], 1);
  }

  /** A platform failure, by ConnectorError kind ('other' for anything else). */
  platformError(platform: Platform, err: unknown): void {
    this.add('platform_errors', [platform, err instanceof ConnectorError ? err.kind : 'other'], 1);
  }

  private add(name: CounterName, labels: string[], n: number): void {
    const field = `${name}\t${labels.join('\t')}`;
    this.pending.set(field, (this.pending.get(field) ?? 0) + n);
  }

  /** Adds what was counted since the last flush to Redis (kept for the next flush when Redis is away). */
  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    const multi = this.redis.multi();
    for (const [field, n] of batch) {
      const [name, ...labels] = field.split('\t');
      multi.hincrby(this.key(name as CounterName), labels.join('\t'), n);
    }
    try {
      await multi.exec();
    } catch {
      for (const [field, n] of batch) this.pending.set(field, (this.pending.get(field) ?? 0) + n);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** The deployment-wide totals of one counter: [labels, value] pairs. */
  async totals(name: CounterName): Promise<Array<[string[], number]>> {
    const hash = await this.redis.hgetall(this.key(name));
    return Object.entries(hash).map(([labels, value]) => [labels.split('\t'), Number(value)]);
  }

  /**
   * `connector` with its send, remove and DM calls counted (and failures by kind). Every method is called on the
   * original, so the connector's own state stays in one object.
   */
  metered(connector: Connector): Connector {
    const { platform } = connector;
    const timed =
      <A extends unknown[], R>(call: string, fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        try {
          const result = await fn(...args);
          this.platformCall(platform, call, 'ok');
          return result;
        } catch (err) {
          this.platformCall(platform, call, 'error');
          this.platformError(platform, err);
          throw err;
        }
      };
    const c = connector;
    return {
      platform,
      connectorId: c.connectorId,
      capabilities: c.capabilities,
      idempotentSend: c.idempotentSend,
      ...(c.chatPace ? { chatPace: c.chatPace } : {}),
      connect: () => c.connect(),
      send: timed('send', (reply) => c.send(reply)),
      ...(c.poll ? { poll: (cursor, signal) => c.poll!(cursor, signal) } : {}),
      ...(c.listen ? { listen: (session, signal) => c.listen!(session, signal) } : {}),
      ...(c.subscribeWebhook ? { subscribeWebhook: () => c.subscribeWebhook!() } : {}),
      ...(c.handleWebhook ? { handleWebhook: (req) => c.handleWebhook!(req) } : {}),
      ...(c.removePublic ? { removePublic: timed('remove_public', (ref) => c.removePublic!(ref)) } : {}),
      ...(c.openDirect ? { openDirect: timed('open_direct', (user, text) => c.openDirect!(user, text)) } : {}),
    } satisfies Connector;
  }
}

/**
 * The Prometheus registry an API process serves. Everything is read at scrape time, so every API process reports
 * the same deployment-wide figures.
 */
export function metricsRegistry(deps: { db: Db; redis: Redis; queues: Queues; metrics: Metrics; leaseKey(connectorId: string): string }): Registry {
  const { db, redis, queues, metrics } = deps;
  const registry = new Registry();

  new Gauge({
    name: 'inbox_queue_jobs',
    help: 'Jobs per queue and state.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const all: Array<[string, Queue]> = [['inbound', queues.inbound], ['outbound', queues.outbound], ['actions', queues.actions]];
      for (const [name, queue] of all) {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
      }
    },
  });

  const fromRedis = (name: CounterName, metric: string, help: string, labelNames: string[]) =>
    new Counter({
      name: metric,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        for (const [labels, value] of await metrics.totals(name)) {
          this.inc(Object.fromEntries(labelNames.map((l, i) => [l, labels[i] ?? ''])), value);
        }
      },
    });
  fromRedis('events_received', 'inbox_events_received_total', 'Events connectors handed to the inbound queue.', ['platform']);
  fromRedis('platform_calls', 'inbox_platform_calls_total', 'Calls to platforms on behalf of agents and the guard.', ['platform', 'call', 'outcome']);
  fromRedis('platform_errors', 'inbox_platform_errors_total', 'Platform failures by kind (receiving and sending).', ['platform', 'kind']);

  new Counter({
    name: 'inbox_guard_actions_total',
    help: "The guard's actions on public leaks, by kind and status.",
    labelNames: ['kind', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.guardAction.groupBy({ by: ['kind', 'status'], _count: { _all: true } });
      for (const row of rows) this.inc({ kind: row.kind, status: row.status }, row._count._all);
    },
  });

  const connectors = () => db.connector.findMany({ where: { enabled: true, deletedAt: null }, select: { id: true, name: true, platform: true, healthStatus: true } });
  new Gauge({
    name: 'inbox_connector_lease_held',
    help: 'Which process holds each enabled connector (1), by holder; a connector missing here is received by nobody.',
    labelNames: ['connector', 'platform', 'holder'],
    registers: [registry],
    async collect() {
      this.reset();
      const list = await connectors();
      if (!list.length) return;
      const owners = await redis.mget(list.map((c) => deps.leaseKey(c.id)));
      list.forEach((c, i) => {
        if (owners[i]) this.set({ connector: c.name, platform: c.platform, holder: owners[i]! }, 1);
      });
    },
  });
  new Gauge({
    name: 'inbox_connector_health',
    help: "Each enabled connector's health (1 for its current status).",
    labelNames: ['connector', 'platform', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const c of await connectors()) this.set({ connector: c.name, platform: c.platform, status: c.healthStatus }, 1);
    },
  });
  return registry;
}
