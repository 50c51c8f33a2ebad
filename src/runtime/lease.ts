// Which process receives for a connector: a lease in Redis with a fencing token (see /work/shared/runtime.md
// and Kleppmann, "How to do distributed locking", 2016). One Redis, so no Redlock.
//
// - Take: SET lease NX PX ttl and, in the same script, INCR fence: the number is this holder's fencing token.
// - Renew every ttl/3 with a script that extends only while the value is still ours. A holder that could not
//   renew for ttl/2 gives the connector up (its signal aborts) before the lease can expire and another process
//   can take it; a renewal that finds another owner gives it up at once.
// - Release on a clean stop with compare-and-delete. A killed holder just stops renewing: another process takes
//   over after at most ttl.
// - The token fences what a holder writes (src/runtime/supervisor.ts: `... WHERE cursorFence <= token`), so a
//   holder that was paused past its lease (GC, a stalled event loop, a partition) cannot overwrite its successor.
//
// Processes running connectors also announce themselves here (a sorted set scored by last-seen time), so each
// can take its share of the connectors rather than one holding them all.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';

const TAKE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0`;
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;
/** Raises the fence counter to at least ARGV[1] (after Redis lost its data, tokens must not go backwards). */
const RAISE_FENCE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 1`;

/** A held lease. `signal` aborts when it is lost or released; stop receiving then. */
export interface Lease {
  readonly connectorId: string;
  /** The fencing token: higher than every earlier holder's. */
  readonly token: number;
  readonly signal: AbortSignal;
  /** Stops renewing and deletes the lease if it is still ours. */
  release(): Promise<void>;
}

export interface LeaseOptions {
  /** How long a lease lives without renewal (ms); a dead holder's connectors are taken over after at most this. */
  ttlMs?: number;
  /** Called when a held lease is lost (not when released). */
  onLost?(connectorId: string, reason: string): void;
}

/** The Redis key of a connector's lease (its value names the holding process). */
export const leaseKeyOf = (prefix: string, connectorId: string) => `${prefix}:lease:connector:${connectorId}`;

export class LeaseManager {
  /** This process, as it appears in Redis (host, pid and a random part, so a restarted process is new). */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: LeaseOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 10_000;
  }

  leaseKey = (connectorId: string) => leaseKeyOf(this.prefix, connectorId);
  private fenceKey = (connectorId: string) => `${this.prefix}:fence:connector:${connectorId}`;
  private processesKey = () => `${this.prefix}:runtime:processes`;

  /** Takes the lease when nobody holds it; resolves null when someone does. Throws when Redis is unreachable. */
  async acquire(connectorId: string): Promise<Lease | null> {
    const token = Number(await this.redis.eval(TAKE, 2, this.leaseKey(connectorId), this.fenceKey(connectorId), this.owner, this.ttlMs));
    if (!token) return null;
    return this.hold(connectorId, token);
  }

  /** Makes the next token for `connectorId` higher than `token` (see RAISE_FENCE). */
  async raiseFence(connectorId: string, token: number): Promise<void> {
    await this.redis.eval(RAISE_FENCE, 1, this.fenceKey(connectorId), token);
  }

  /** The owner of every held lease among `connectorIds` (null when free). */
  async holders(connectorIds: string[]): Promise<Map<string, string | null>> {
    if (!connectorIds.length) return new Map();
    const owners = await this.redis.mget(connectorIds.map(this.leaseKey));
    return new Map(connectorIds.map((id, i) => [id, owners[i] ?? null]));
  }

  /** Says this process is alive and running connectors; returns how many such processes are alive (≥ 1). */
  async announce(): Promise<number> {
    const now = Date.now();
    const key = this.processesKey();
    const [, , [, live]] = (await this.redis
      .multi()
      .zadd(key, now, this.owner)
      .zremrangebyscore(key, '-inf', now - this.ttlMs)
      .zcard(key)
      .pexpire(key, this.ttlMs * 10)
      .exec()) as [unknown, unknown, [unknown, number], unknown];
    return Math.max(1, live);
  }

  /** Removes this process from the live set (clean shutdown), so the others take its share at once. */
  async withdraw(): Promise<void> {
    await this.redis.zrem(this.processesKey(), this.owner);
  }

  private hold(connectorId: string, token: number): Lease {
    const controller = new AbortController();
    const key = this.leaseKey(connectorId);
    let renewedAt = Date.now();
    const lose = (reason: string) => {
      if (controller.signal.aborted) return;
      clearInterval(timer);
      controller.abort(new Error(reason));
      this.options.onLost?.(connectorId, reason);
    };
    const timer = setInterval(async () => {
      // Give up before the lease can expire: past ttl/2 without a renewal, another process may soon take over.
      if (Date.now() - renewedAt > this.ttlMs / 2) return lose('could not renew the lease in time');
      try {
        const renewed = Number(await this.redis.eval(RENEW, 1, key, this.owner, this.ttlMs));
        if (controller.signal.aborted) return;
        if (renewed) renewedAt = Date.now();
        else lose('the lease is held by another process');
      } catch {
        // Redis unreachable: the check at the next tick decides.
      }
    }, Math.floor(this.ttlMs / 3));
    return {
      connectorId,
      token,
      signal: controller.signal,
      release: async () => {
        clearInterval(timer);
        controller.abort(new Error('released'));
        await this.redis.eval(RELEASE, 1, key, this.owner).catch(() => {});
      },
    };
  }
}
