// GET /api/events: Server-Sent Events for the agents' live view.
import type { RequestHandler } from 'express';
import type { EventBus } from '../pipeline/notify.ts';

const HEARTBEAT_MS = 15_000;
const PUBLIC_EVENTS = new Set(['message.created', 'message.updated', 'conversation.updated', 'guard.action', 'note.created', 'presence']);

export function eventsHandler(events: EventBus): RequestHandler {
  return async (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    const unsubscribe = await events.subscribe((event) => {
      if (PUBLIC_EVENTS.has(event.type)) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    });
    // Proxies close idle streams; a comment line every so often keeps this one open.
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  };
}
