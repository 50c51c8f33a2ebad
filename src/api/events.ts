// GET /api/events: Server-Sent Events for the agents' live view.
//
// A stream lives only as long as the credential that opened it: it is re-checked every RECHECK_MS and closed
// once the session ends or the token is revoked or expires (sign-out, password change, deactivation). A client
// that stops reading is dropped instead of being buffered without bound: when what waits unsent has not drained
// within STALL_MS, or ever exceeds MAX_BUFFERED_BYTES. One person may hold at most MAX_STREAMS_PER_USER streams
// on one API process.
import type { RequestHandler } from 'express';
import type { Db } from '../db/client.ts';
import type { EventBus } from '../pipeline/notify.ts';
import { resolveCredential } from './auth.ts';
import { HttpError } from './errors.ts';

const HEARTBEAT_MS = 15_000;
const RECHECK_MS = 5_000;
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const STALL_MS = 15_000;
const MAX_STREAMS_PER_USER = 10;
const PUBLIC_EVENTS = new Set(['message.created', 'message.updated', 'conversation.updated', 'guard.action', 'note.created', 'presence']);

/** The GET /api/events handler; needs req.user and req.credential (mount behind requireRole). */
export function eventsHandler(deps: { events: EventBus; db: Db }): RequestHandler {
  const { events, db } = deps;
  const open = new Map<string, number>();

  return async (req, res) => {
    const userId = req.user!.id;
    const credential = req.credential!;
    const count = open.get(userId) ?? 0;
    if (count >= MAX_STREAMS_PER_USER) {
      throw new HttpError(429, 'too_many_streams', `At most ${MAX_STREAMS_PER_USER} live event streams per person; close another tab first.`, undefined, {
        limit: MAX_STREAMS_PER_USER,
      });
    }
    open.set(userId, count + 1);

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });

    let closed = false;
    const timers: NodeJS.Timeout[] = [];
    let unsubscribe = () => {};
    const close = () => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
      clearTimeout(stall);
      unsubscribe();
      const left = (open.get(userId) ?? 1) - 1;
      if (left > 0) open.set(userId, left);
      else open.delete(userId);
      // destroy(), not end(): a client that stopped reading would never take the rest of the buffer.
      res.destroy();
    };
    req.on('close', close);
    res.on('close', close);

    let stall: NodeJS.Timeout | undefined;
    res.on('drain', () => {
      clearTimeout(stall);
      stall = undefined;
    });
    const send = (chunk: string) => {
      if (closed) return;
      if (!res.write(chunk)) stall ??= setTimeout(close, STALL_MS);
      if (res.writableLength > MAX_BUFFERED_BYTES) close();
    };

    send(': connected\n\n');
    unsubscribe = await events.subscribe((event) => {
      if (PUBLIC_EVENTS.has(event.type)) send(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    });
    if (closed) unsubscribe();
    // Proxies close idle streams; a comment line every so often keeps this one open.
    timers.push(setInterval(() => send(': ping\n\n'), HEARTBEAT_MS));
    timers.push(
      setInterval(() => {
        resolveCredential(db, credential).then(
          (user) => {
            if (!user) close();
          },
          () => {}, // the database is away: keep the stream; the next check decides
        );
      }, RECHECK_MS),
    );
  };
}
