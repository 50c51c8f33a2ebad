// What each connector spends on platforms that bill per use (X): every process counts its connectors' requests
// and deliveries with their estimated price, and adds them to hourly and daily buckets in Redis every few
// seconds, so an admin sees one total for the connector whichever processes did the work (receiving in one,
// sending replies in the workers).
import type { Redis } from 'ioredis';
import type { UsageRecord } from '../../connectors/connector.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Costs are kept in millionths of a dollar, so Redis adds integers. */
const MICRO = 1_000_000;

/** One connector's usage, as GET /api/connectors shows it. */
export interface ConnectorUsage {
  /** Requests made to the platform in the last 24 hours (hour-granular) and 30 days (day-granular). */
  requests24h: number;
  requests30d: number;
  /** Events the platform delivered (stream or webhook), same windows. */
  events24h: number;
  events30d: number;
  /** Estimated spend in USD at the platform's pay-per-use prices. */
  estimatedCostUsd24h: number;
  estimatedCostUsd30d: number;
  /** The last 24 hours per endpoint (or `event:<type>`), busiest first. */
  byEndpoint24h: Array<{ endpoint: string; count: number; estimatedCostUsd: number }>;
}

interface Totals {
  count: number;
  micro: number;
}

export class UsageStore {
  private pending = new Map<string, Map<string, Totals>>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    flushMs = 2_000,
  ) {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  /** The meter a connector gets (ConnectorInput.meter): cheap, in memory until the next flush. */
  meterFor(connectorId: string): (record: UsageRecord) => void {
    return (record) => {
      const byEndpoint = this.pending.get(connectorId) ?? new Map<string, Totals>();
      this.pending.set(connectorId, byEndpoint);
      const t = byEndpoint.get(record.endpoint) ?? { count: 0, micro: 0 };
      t.count += record.endpoint.startsWith('event:') ? 1 : record.requests;
      t.micro += Math.round(record.costUsd * MICRO);
      byEndpoint.set(record.endpoint, t);
    };
  }

  private key(connectorId: string, unit: 'h' | 'd', index: number): string {
    return `${this.prefix}:usage:${connectorId}:${unit}:${index}`;
  }

  /** Adds what was counted since the last flush to Redis. Failures keep the counts for the next flush. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.pending.size) return;
      const batch = this.pending;
      this.pending = new Map();
      const now = Date.now();
      const hour = Math.floor(now / HOUR);
      const day = Math.floor(now / DAY);
      const multi = this.redis.multi();
      for (const [connectorId, byEndpoint] of batch) {
        for (const [key, ttlSec] of [
          [this.key(connectorId, 'h', hour), 26 * 3600],
          [this.key(connectorId, 'd', day), 32 * 86400],
        ] as const) {
          for (const [endpoint, t] of byEndpoint) {
            if (t.count) multi.hincrby(key, `${endpoint}|n`, t.count);
            if (t.micro) multi.hincrby(key, `${endpoint}|c`, t.micro);
          }
          multi.expire(key, ttlSec);
        }
      }
      try {
        await multi.exec();
      } catch {
        for (const [id, byEndpoint] of batch) {
          const into = this.pending.get(id) ?? new Map<string, Totals>();
          for (const [endpoint, t] of byEndpoint) {
            const c = into.get(endpoint) ?? { count: 0, micro: 0 };
            into.set(endpoint, { count: c.count + t.count, micro: c.micro + t.micro });
          }
          this.pending.set(id, into);
        }
      }
    });
    return this.flushing;
  }

  /** Usage of each connector in `ids` (zeros for one that never metered anything). */
  async summaries(ids: string[]): Promise<Map<string, ConnectorUsage>> {
    const now = Date.now();
    const hour = Math.floor(now / HOUR);
    const day = Math.floor(now / DAY);
    const pipe = this.redis.pipeline();
    for (const id of ids) {
      for (let h = 0; h < 24; h++) pipe.hgetall(this.key(id, 'h', hour - h));
      for (let d = 0; d < 30; d++) pipe.hgetall(this.key(id, 'd', day - d));
    }
    const results = ((await pipe.exec()) ?? []).map(([, value]) => (value ?? {}) as Record<string, string>);
    const out = new Map<string, ConnectorUsage>();
    ids.forEach((id, i) => {
      const hours = results.slice(i * 54, i * 54 + 24);
      const days = results.slice(i * 54 + 24, i * 54 + 54);
      const sum = (buckets: Array<Record<string, string>>) => {
        const per = new Map<string, Totals>();
        for (const bucket of buckets) {
          for (const [field, value] of Object.entries(bucket)) {
            const [endpoint, kind] = [field.slice(0, field.lastIndexOf('|')), field.slice(field.lastIndexOf('|') + 1)];
            const t = per.get(endpoint) ?? { count: 0, micro: 0 };
            if (kind === 'n') t.count += Number(value);
            else t.micro += Number(value);
            per.set(endpoint, t);
          }
        }
        let requests = 0;
        let events = 0;
        let micro = 0;
        for (const [endpoint, t] of per) {
          if (endpoint.startsWith('event:')) events += t.count;
          else requests += t.count;
          micro += t.micro;
        }
        return { per, requests, events, usd: micro / MICRO };
      };
      const day1 = sum(hours);
      const month = sum(days);
      out.set(id, {
        requests24h: day1.requests,
        requests30d: month.requests,
        events24h: day1.events,
        events30d: month.events,
        estimatedCostUsd24h: round(day1.usd),
        estimatedCostUsd30d: round(month.usd),
        byEndpoint24h: [...day1.per]
          .map(([endpoint, t]) => ({ endpoint, count: t.count, estimatedCostUsd: round(t.micro / MICRO) }))
          .sort((a, b) => b.count - a.count),
      });
    });
    return out;
  }

  /** Writes what is still in memory and stops the flush timer. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

const round = (usd: number) => Math.round(usd * 10_000) / 10_000;
