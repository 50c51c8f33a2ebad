// Stage 5 and the agents' live view: events published on Redis, so that workers and API servers in different
// processes all reach every browser connected to /api/events. Events carry ids only; clients fetch what changed
// through the API, which applies its usual access checks.
import type { Redis } from 'ioredis';
import type { Note, Presence } from '../api/contract.ts';
import { createRedis } from '../queues/index.ts';

export type InboxEvent =
  | { type: 'message.created'; conversationId: string; messageId: string }
  | { type: 'message.updated'; conversationId: string; messageId: string }
  | { type: 'conversation.updated'; conversationId: string }
  | { type: 'guard.action'; conversationId: string; messageId: string; kind: string; status: string }
  /** A private note: agents only, carried whole (notes hold no customer secrets beyond what agents typed). */
  | { type: 'note.created'; conversationId: string; note: Note }
  /** Who has a conversation open or is typing (see workspace/presence.ts). */
  | ({ type: 'presence' } & Presence)
  /** Internal: a connector's configuration changed; processes drop cached instances. */
  | { type: 'connector.changed'; connectorId: string };

export class EventBus {
  private readonly pub: Redis;
  private sub?: Redis;
  private readonly listeners = new Set<(event: InboxEvent) => void>();
  private readonly channel: string;

  /** `onError` hears Redis connection trouble; both connections reconnect (and resubscribe) by themselves. */
  constructor(
    private readonly redisUrl: string,
    prefix: string,
    private readonly onError: (err: Error) => void = () => {},
  ) {
    this.channel = `${prefix}:events`;
    this.pub = createRedis(redisUrl, onError);
  }

  async publish(events: InboxEvent[]): Promise<void> {
    if (!events.length) return;
    await this.pub.publish(this.channel, JSON.stringify(events));
  }

  /** Calls `listener` for every event published by any process; returns the unsubscribe function. */
  async subscribe(listener: (event: InboxEvent) => void): Promise<() => void> {
    if (!this.sub) {
      this.sub = createRedis(this.redisUrl, this.onError);
      await this.sub.subscribe(this.channel);
      this.sub.on('message', (_channel: string, payload: string) => {
        for (const event of JSON.parse(payload) as InboxEvent[]) for (const l of this.listeners) l(event);
      });
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.sub?.disconnect();
    await this.pub.quit().catch(() => {});
  }
}
