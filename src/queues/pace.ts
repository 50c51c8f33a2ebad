// Per-chat pacing of everything the inbox writes to a platform (replies, guard warnings), shared by every worker
// process through Redis: a chat's recent sends live in one sorted set, and a claim is granted only when the
// platform's pace (connectors/connector.ts: ChatPace) allows one more now. A 429 from the platform holds the
// whole chat for as long as it asked, not just the one message that got it.
import type { Redis } from 'ioredis';
import type { ChatPace } from '../../connectors/connector.ts';

const WINDOW_MS = 60_000;

// KEYS[1]: sorted set of send times (ms) in the last minute; KEYS[2]: "held until" marker set after a 429.
// ARGV: min interval ms, per-minute cap (0 = none), a unique member. Returns 0 (claimed) or ms to wait.
// Redis's own clock is used, so processes with skewed clocks agree.
const CLAIM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ${WINDOW_MS})
local wait = redis.call('PTTL', KEYS[2])
if wait < 0 then wait = 0 end
local last = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if last[2] then wait = math.max(wait, tonumber(last[2]) + tonumber(ARGV[1]) - now) end
local cap = tonumber(ARGV[2])
if cap > 0 and redis.call('ZCARD', KEYS[1]) >= cap then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  wait = math.max(wait, tonumber(first[2]) + ${WINDOW_MS} - now)
end
if wait > 0 then return wait end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ${WINDOW_MS})
return 0
`;

/** Which chat a message goes to, and whether it is public (a group or channel). */
export interface ChatRef {
  connectorId: string;
  channelId: string;
  visibility: 'public' | 'private';
}

/**
 * Per-chat pacing shared through Redis (keys `<prefix>:pace:<connectorId>:<channelId>` and `…:held`, both
 * expiring within a minute of the last send or the end of a 429). Times are Redis's clock, in ms.
 */
export class ChatPacer {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private keys(chat: ChatRef): [string, string] {
    const base = `${this.prefix}:pace:${chat.connectorId}:${chat.channelId}`;
    return [base, `${base}:held`];
  }

  /**
   * Claims one send into `chat` now. Returns 0 when the caller may send at once (the send is counted), else how
   * many ms to wait before asking again. Without a pace, always 0.
   */
  async claim(chat: ChatRef, pace: ChatPace | undefined, member: string): Promise<number> {
    if (!pace) return 0;
    const perMinute = chat.visibility === 'public' ? (pace.publicPerMinute ?? 0) : 0;
    const [sends, held] = this.keys(chat);
    const wait = await this.redis.eval(CLAIM, 2, sends, held, pace.minIntervalMs, perMinute, `${member}:${Math.random().toString(36).slice(2)}`);
    return Number(wait);
  }

  /** The platform answered 429 for this chat: nobody writes to it for `ms`. */
  async hold(chat: ChatRef, ms: number): Promise<void> {
    if (ms > 0) await this.redis.set(this.keys(chat)[1], '1', 'PX', Math.ceil(ms));
  }
}
