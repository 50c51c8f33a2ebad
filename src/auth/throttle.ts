// Sign-in throttling, kept in Redis so every API process shares the same counts, with rate-limiter-flexible
// (its Redis limiter increments and sets the expiry in one Lua call: parallel requests cannot race past a limit).
//
// An attempt is counted *before* the password is checked, so a burst of parallel guesses gets at most `points`
// password checks, the rest an immediate 429. Three windows, after OWASP's Authentication Cheat Sheet, each
// counted only once the one before it let the attempt through:
//  - one account from one address: 5 attempts per 15 minutes. The real person at another address is not
//    affected, and a blocked burst does not count against the account as a whole.
//  - one address, any account: 100 per hour, against password spraying.
//  - one account from addresses it never signed in from: 30 per 15 minutes, against guessing spread over many
//    addresses. Addresses the account signed in from during the last 30 days skip this window, so a botnet
//    can slow the account down for strangers but cannot lock its owner out; it ends by itself (Retry-After).
// A successful sign-in clears its account-and-address count, gives back the attempt, and remembers the address.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

const PAIR = { points: 5, duration: 15 * 60 };
const ACCOUNT = { points: 30, duration: 15 * 60 };
const ADDRESS = { points: 100, duration: 60 * 60 };
const KNOWN_ADDRESS_SEC = 30 * 86_400;
const REDIS_TIMEOUT_MS = 3000;

/** Too many attempts: try again after `retryAfterSec` seconds. */
export class ThrottledError extends Error {
  constructor(readonly retryAfterSec: number) {
    super(`Too many failed sign-ins; try again in ${retryAfterSec} seconds.`);
  }
}

/** Redis did not answer in time: sign-in is unavailable rather than unthrottled. */
export class ThrottleUnavailableError extends Error {}

function within<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ThrottleUnavailableError('Sign-in is unavailable for a moment (Redis does not answer).')), REDIS_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Emails are keyed by a hash: Redis holds no addresses of people. */
const accountKey = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);

/** One counted attempt: which windows it used, so a success or a refund gives back exactly those. */
export interface Reservation {
  email: string;
  ip: string;
  countedOnAccount: boolean;
}

export class SignInThrottle {
  private readonly pair: RateLimiterRedis;
  private readonly account: RateLimiterRedis;
  private readonly address: RateLimiterRedis;
  private readonly pairPrefix: string;
  private readonly knownPrefix: string;

  /** `prefix` is the Redis key prefix of this inbox (QUEUE_PREFIX). */
  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.pairPrefix = `${prefix}:signin:pair`;
    this.knownPrefix = `${prefix}:signin:known`;
    this.pair = new RateLimiterRedis({ storeClient: redis, keyPrefix: this.pairPrefix, ...PAIR });
    this.account = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:signin:account`, ...ACCOUNT });
    this.address = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:signin:address`, ...ADDRESS });
  }

  /**
   * Counts one attempt for `email` from `ip`. Throws ThrottledError when a window is used up (nothing should be
   * checked then), ThrottleUnavailableError when Redis does not answer.
   */
  async reserve(email: string, ip: string): Promise<Reservation> {
    const key = accountKey(email);
    const take = async (limiter: RateLimiterRedis, k: string) => {
      try {
        await within(limiter.consume(k));
      } catch (err) {
        if (err instanceof RateLimiterRes) throw new ThrottledError(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
        if (err instanceof ThrottleUnavailableError) throw err;
        throw new ThrottleUnavailableError(`Sign-in is unavailable for a moment: ${String(err)}`);
      }
    };
    await take(this.pair, `${key}:${ip}`);
    await take(this.address, ip);
    const known = (await within(this.redis.exists(`${this.knownPrefix}:${key}:${ip}`))) === 1;
    if (!known) await take(this.account, key);
    return { email, ip, countedOnAccount: !known };
  }

  /** Gives back an attempt that guessed nothing (the password was right, a code is still to come). */
  async refund(r: Reservation): Promise<void> {
    const key = accountKey(r.email);
    await within(Promise.all([this.pair.reward(`${key}:${r.ip}`), this.address.reward(r.ip), r.countedOnAccount ? this.account.reward(key) : null]));
  }

  /** A successful sign-in: this account-and-address starts afresh, the attempt is given back, the address known. */
  async succeeded(r: Reservation): Promise<void> {
    const key = accountKey(r.email);
    await within(
      Promise.all([
        this.pair.delete(`${key}:${r.ip}`),
        this.address.reward(r.ip),
        r.countedOnAccount ? this.account.reward(key) : null,
        this.redis.set(`${this.knownPrefix}:${key}:${r.ip}`, '1', 'EX', KNOWN_ADDRESS_SEC),
      ]),
    );
  }

  /** Lifts every limit on `email` (an admin reset the password): all its counts, from every address. */
  async lift(email: string): Promise<void> {
    const key = accountKey(email);
    await this.account.delete(key);
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.pairPrefix}:${key}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await this.redis.del(...keys);
    } while (cursor !== '0');
  }
}
