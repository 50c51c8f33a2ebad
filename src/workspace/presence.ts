// Who has a conversation open or is typing, shared by every API process through Redis. Browsers send a
// heartbeat at least every 10 s; an entry lapses 30 s after the last one (typing after 6 s), and a sweep
// announces lapsed entries, so a closed laptop disappears from others' screens without saying goodbye.
//
// Keys (under the process's key prefix):
//   presence            sorted set, member "<conversationId>:<userId>", score = expiry (ms since epoch)
//   presence:typing     sorted set, member "<conversationId>:<userId>", score = end of typing (ms), so the
//                       sweep also announces a typist who stopped without saying so
//   presence:<conv>     hash, field userId -> {"name", "typingUntil"}; expires with its last member
import type { Redis } from 'ioredis';
import type { Presence, PresenceUser } from '../api/contract.ts';
import type { EventBus } from '../pipeline/notify.ts';

export const PRESENCE_TTL_MS = 30_000;
export const TYPING_TTL_MS = 6_000;
const SWEEP_MS = 2_000;

export class PresenceTracker {
  private sweeper?: NodeJS.Timeout;
  private readonly index: string;
  private readonly typingIndex: string;

  constructor(
    private readonly redis: Redis,
    private readonly events: EventBus,
    private readonly prefix: string,
  ) {
    this.index = `${prefix}:presence`;
    this.typingIndex = `${prefix}:presence:typing`;
  }

  private hashKey = (conversationId: string) => `${this.prefix}:presence:${conversationId}`;

  /**
   * Records `user`'s state on a conversation and returns who is there now. Announces it (SSE `presence`) only
   * when that changed: a heartbeat that changes nothing sends nothing to every browser.
   */
  async update(conversationId: string, user: { id: string; name: string }, state: 'viewing' | 'typing' | 'left'): Promise<Presence> {
    const before = JSON.stringify((await this.current(conversationId)).users);
    const member = `${conversationId}:${user.id}`;
    const hash = this.hashKey(conversationId);
    if (state === 'left') {
      await this.redis.multi().zrem(this.index, member).zrem(this.typingIndex, member).hdel(hash, user.id).exec();
    } else {
      const now = Date.now();
      const typingUntil = state === 'typing' ? now + TYPING_TTL_MS : 0;
      const tx = this.redis
        .multi()
        .zadd(this.index, now + PRESENCE_TTL_MS, member)
        .hset(hash, user.id, JSON.stringify({ name: user.name, typingUntil }))
        .pexpire(hash, PRESENCE_TTL_MS * 2);
      await (typingUntil ? tx.zadd(this.typingIndex, typingUntil, member) : tx.zrem(this.typingIndex, member)).exec();
    }
    this.startSweeping();
    const presence = await this.current(conversationId);
    if (JSON.stringify(presence.users) !== before) await this.events.publish([{ type: 'presence', ...presence }]);
    return presence;
  }

  /** Everyone whose entry on this conversation has not lapsed. */
  async current(conversationId: string): Promise<Presence> {
    const entries = await this.redis.hgetall(this.hashKey(conversationId));
    const ids = Object.keys(entries);
    if (!ids.length) return { conversationId, users: [] };
    const scores = await this.redis.zmscore(this.index, ...ids.map((id) => `${conversationId}:${id}`));
    const now = Date.now();
    const users: PresenceUser[] = [];
    ids.forEach((id, i) => {
      const expiry = Number(scores[i] ?? 0);
      if (expiry <= now) return;
      const { name, typingUntil } = JSON.parse(entries[id]!) as { name: string; typingUntil: number };
      users.push({ id, name, typing: typingUntil > now });
    });
    users.sort((a, b) => a.name.localeCompare(b.name));
    return { conversationId, users };
  }

  /** Removes lapsed entries (and typing that stopped) and announces the conversations concerned; ZREM decides which process does. */
  async sweep(): Promise<void> {
    const now = Date.now();
    const lapsed = await this.redis.zrangebyscore(this.index, '-inf', now);
    const touched = new Set<string>();
    for (const member of await this.redis.zrangebyscore(this.typingIndex, '-inf', now)) {
      if ((await this.redis.zrem(this.typingIndex, member)) === 1) touched.add(member.slice(0, member.lastIndexOf(':')));
    }
    for (const member of lapsed) {
      if ((await this.redis.zrem(this.index, member)) !== 1) continue;
      const at = member.lastIndexOf(':');
      const conversationId = member.slice(0, at);
      await this.redis.hdel(this.hashKey(conversationId), member.slice(at + 1));
      touched.add(conversationId);
    }
    for (const id of touched) await this.events.publish([{ type: 'presence', ...(await this.current(id)) }]);
  }

  private startSweeping(): void {
    this.sweeper ??= setInterval(() => void this.sweep().catch(() => {}), SWEEP_MS);
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
