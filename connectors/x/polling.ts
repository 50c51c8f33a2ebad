// Polling X: the mentions timeline and the DM event list, one request per step, each step resumable from the
// cursor it returns. Works on every access tier.
//
// Mentions: `since_id` = the newest mention of the last complete walk; a walk follows every `next_token` page
// (newest first) and only then moves `since_id`, and the cursor carries the walk's page token, so a restart
// between pages loses nothing. DMs: X offers no `since_id` for DM events, so a walk pages (newest first) until it
// meets an id it has seen or an event older than the last walk's newest (minus a margin); the cursor keeps a
// bounded set of seen ids. The schedule reads `x-rate-limit-remaining/reset` and spreads the remaining requests
// over the window, so it never fires a request it knows will be refused; a 429 waits for the reset. Between
// walks it waits `busyMs` while there is traffic and backs off to `idleMs` when there is none.
import type { TweetV2, UserV2 } from 'twitter-api-v2';
import type { InboundMessage } from '../../src/domain/types.ts';
import { InvalidError, RateLimitedError } from '../errors.ts';
import { toConnectorError, type XApi, type XEndpointKey } from './api.ts';
import { normalizeXDmEvent, normalizeXPost, type DMEventV2, type XNormalized } from './normalize.ts';

/** The persisted resume state (JSON in the connector cursor). */
export interface XPollCursor {
  v: 1;
  mentions: {
    /** since_id: newest mention id of the last complete walk. */
    since?: string;
    /** The page token of a walk in progress. */
    next?: string;
    /** Newest id seen by the walk in progress: the next since_id once it completes. */
    top?: string;
    /** start_time of a first walk (no since_id yet), kept for its later pages. */
    start?: string;
  };
  dms: {
    /** Ids of recent DM events already handled (newest first, bounded). */
    seen: string[];
    /** Events older than this (ISO) were handled by earlier walks. */
    floor?: string;
    next?: string;
    /** Ids handled by the walk in progress. */
    walk?: string[];
    /** Newest created_at of the walk in progress. */
    top?: string;
  };
}

export type XPollSource = 'mentions' | 'dms';

export interface XPollerOptions {
  connectorId: string;
  botUserId: () => string;
  /** Wait between walks while there is traffic (and the floor of every wait). */
  busyMs: number;
  /** The longest wait between walks on a quiet account. */
  idleMs: number;
  /** How far back a first walk (no cursor yet) reaches. */
  initialBackfillMs: number;
  /** Which sources to poll (stream and webhook modes reconcile mentions only). */
  sources: XPollSource[];
  /**
   * DM events per request. X bills each DM event read (once per UTC day), and a walk reads a whole page even
   * when only its first event is new; reconciliation beside real-time delivery uses small pages. Default 100.
   */
  dmPageSize?: number;
}

export interface XPollStep {
  source: XPollSource;
  items: XNormalized[];
  cursor: XPollCursor;
}

const PAGE_SIZE = 100;
const SEEN_DMS = 500;
const WALK_IDS_MAX = 5_000;
/** DM events may be listed a little out of time order; a walk reads this far below the last walk's newest. */
const DM_FLOOR_MARGIN_MS = 5 * 60_000;
const IDLE_GROWTH = 1.5;

const MENTION_QUERY = {
  max_results: PAGE_SIZE,
  'tweet.fields': 'created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,entities,lang,note_tweet,attachments,edit_history_tweet_ids',
  expansions: 'author_id',
  'user.fields': 'name,username',
};
const DM_QUERY = {
  max_results: PAGE_SIZE,
  event_types: 'MessageCreate',
  'dm_event.fields': 'id,text,event_type,created_at,sender_id,dm_conversation_id,participant_ids,attachments',
  expansions: 'sender_id',
  'user.fields': 'name,username',
};

/** Resolves after `ms` or when `signal` aborts, leaving no listener behind (a poller waits thousands of times). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const newer = (a: string, b: string) => BigInt(a) > BigInt(b);

/** Reads a stored cursor; anything unreadable starts afresh rather than failing. */
export function parsePollCursor(saved: string | null): XPollCursor {
  const empty: XPollCursor = { v: 1, mentions: {}, dms: { seen: [] } };
  if (!saved) return empty;
  try {
    const c = JSON.parse(saved) as Partial<XPollCursor>;
    if (c?.v !== 1) return empty;
    return { v: 1, mentions: { ...c.mentions }, dms: { seen: Array.isArray(c.dms?.seen) ? c.dms.seen.map(String) : [], ...c.dms } };
  } catch {
    return empty;
  }
}

export class XPoller {
  /** When each source may next be asked (epoch ms). */
  private readonly dueAt = new Map<XPollSource, number>();
  private readonly quietWalks = new Map<XPollSource, number>();

  constructor(
    private readonly api: XApi,
    private readonly options: XPollerOptions,
  ) {}

  /** The source to ask next and when. A walk in progress is due at once, within its rate limit. */
  next(cursor: XPollCursor, now = Date.now()): { source: XPollSource; at: number } {
    let best: { source: XPollSource; at: number } | null = null;
    for (const source of this.options.sources) {
      const walking = source === 'mentions' ? cursor.mentions.next : cursor.dms.next;
      const scheduled = walking ? now : (this.dueAt.get(source) ?? now);
      const at = Math.max(scheduled, now + this.api.waitMs(endpointFor(source), now));
      if (!best || at < best.at) best = { source, at };
    }
    return best!;
  }

  /** Waits until the next source is due (or `signal` aborts), then makes one request. */
  async step(cursor: XPollCursor, signal: AbortSignal): Promise<XPollStep | null> {
    const { source, at } = this.next(cursor);
    if (at > Date.now()) await pause(at - Date.now(), signal);
    if (signal.aborted) return null;
    try {
      const step = source === 'mentions' ? await this.mentions(cursor) : await this.dms(cursor);
      this.schedule(source, step.items.length > 0 || Boolean(source === 'mentions' ? step.cursor.mentions.next : step.cursor.dms.next));
      return step;
    } catch (err) {
      const error = toConnectorError(err);
      if (error instanceof RateLimitedError) {
        // The window is known from the 429's headers (XApi remembered it); without them, wait what X asked.
        this.dueAt.set(source, Date.now() + Math.max(error.retryAfterMs, this.api.waitMs(endpointFor(source))));
        return { source, items: [], cursor };
      }
      if (error instanceof InvalidError && /pagination_token/.test(error.message)) {
        // An expired page token: walk again from the last complete position (the core drops repeats).
        const fresh = structuredClone(cursor);
        if (source === 'mentions') fresh.mentions = { ...(fresh.mentions.since ? { since: fresh.mentions.since } : {}) };
        else fresh.dms = { seen: fresh.dms.seen, ...(fresh.dms.floor ? { floor: fresh.dms.floor } : {}) };
        return { source, items: [], cursor: fresh };
      }
      throw error;
    }
  }

  /** Busy: ask again after busyMs. Quiet: wait longer each time, up to idleMs. Never faster than the window allows. */
  private schedule(source: XPollSource, busy: boolean): void {
    const quiet = busy ? 0 : (this.quietWalks.get(source) ?? 0) + 1;
    this.quietWalks.set(source, quiet);
    const interval = Math.min(Math.max(this.options.idleMs, this.options.busyMs), this.options.busyMs * IDLE_GROWTH ** quiet);
    const now = Date.now();
    const w = this.api.windows.get(endpointFor(source));
    // Spread what is left of the window over the time left, so the schedule never runs dry before the reset.
    const spacing = w && w.resetAt > now ? (w.resetAt - now) / Math.max(1, w.remaining) : 0;
    this.dueAt.set(source, now + Math.max(interval, spacing));
  }

  private async mentions(cursor: XPollCursor): Promise<XPollStep> {
    const m = cursor.mentions;
    const start = m.start ?? (m.since ? undefined : isoSeconds(Date.now() - this.options.initialBackfillMs));
    const query: Record<string, string | number> = { ...MENTION_QUERY };
    if (m.since) query.since_id = m.since;
    else if (start) query.start_time = start;
    if (m.next) query.pagination_token = m.next;
    const page = await this.api.user.v2.get<{ data?: TweetV2[]; includes?: { users?: UserV2[] }; meta?: { newest_id?: string; next_token?: string } }>(
      `users/${this.options.botUserId()}/mentions`,
      query,
    );
    const ctx = { connectorId: this.options.connectorId, botUserId: this.options.botUserId() };
    const items = (page.data ?? [])
      .map((post) => normalizeXPost(post, page.includes, ctx))
      .filter((msg): msg is InboundMessage => msg !== null)
      .reverse()
      .map((message) => ({ from: 'customer' as const, message }));
    const top = m.top ?? page.meta?.newest_id;
    const next = structuredClone(cursor);
    if (page.meta?.next_token) {
      next.mentions = { ...(m.since ? { since: m.since } : {}), next: page.meta.next_token, ...(top ? { top } : {}), ...(start && !m.since ? { start } : {}) };
    } else {
      const since = top && (!m.since || newer(top, m.since)) ? top : m.since;
      next.mentions = since ? { since } : start ? { start } : {};
    }
    return { source: 'mentions', items, cursor: next };
  }

  private async dms(cursor: XPollCursor): Promise<XPollStep> {
    const d = cursor.dms;
    const seen = new Set(d.seen);
    const floor = Date.parse(d.floor ?? isoSeconds(Date.now() - this.options.initialBackfillMs));
    const query: Record<string, string | number> = { ...DM_QUERY, max_results: this.options.dmPageSize ?? PAGE_SIZE };
    if (d.next) query.pagination_token = d.next;
    const page = await this.api.user.v2.get<{ data?: DMEventV2[]; includes?: { users?: UserV2[] }; meta?: { next_token?: string } }>('dm_events', query);
    const ctx = { connectorId: this.options.connectorId, botUserId: this.options.botUserId() };
    const walk = [...(d.walk ?? [])];
    let top = d.top;
    let reachedKnown = false;
    const items: XNormalized[] = [];
    for (const event of page.data ?? []) {
      const at = event.created_at ? Date.parse(event.created_at) : Date.now();
      if (seen.has(event.id) || at < floor) {
        reachedKnown = true;
        break;
      }
      if (walk.length < WALK_IDS_MAX) walk.push(event.id);
      if (!top || at > Date.parse(top)) top = event.created_at;
      const item = normalizeXDmEvent(event, page.includes, ctx);
      if (item) items.push(item);
    }
    items.reverse();
    const next = structuredClone(cursor);
    if (!reachedKnown && page.meta?.next_token) {
      next.dms = { ...d, next: page.meta.next_token, walk, ...(top ? { top } : {}) };
    } else {
      const ids = [...new Set([...walk, ...d.seen])].sort((a, b) => (newer(a, b) ? -1 : 1)).slice(0, SEEN_DMS);
      const newFloor = top ? Math.max(floor, Date.parse(top) - DM_FLOOR_MARGIN_MS) : floor;
      next.dms = { seen: ids, floor: new Date(newFloor).toISOString() };
    }
    return { source: 'dms', items, cursor: next };
  }
}

const endpointFor = (source: XPollSource): XEndpointKey => (source === 'mentions' ? 'mentions' : 'dm_events');
