// The inbound pipeline: normalize → dedupe → guard → split-window → persist → notify, then hand public leaks to the guard's
// actions queue. Queue jobs arrive one message at a time; they are gathered into small batches (a few
// milliseconds' worth) and committed together, which is what keeps the database from becoming the bottleneck.
import type { Queue } from 'bullmq';
import type pg from 'pg';
import type { Db } from '../db/client.ts';
import { loadGuardPolicy } from '../db/settings.ts';
import { isDeletion, type InboundDeletion, type InboundEvent, type InboundMessage } from '../domain/types.ts';
import type { GuardPolicy } from '../guard/policy.ts';
import type { Logger } from '../log.ts';
import { enqueueGuardActions } from '../queues/index.ts';
import { guardTrigger } from '../queues/names.ts';
import { dedupe } from './dedupe.ts';
import { guardMessage } from './guard.ts';
import { normalizeInbound } from './normalize.ts';
import type { EventBus, InboxEvent } from './notify.ts';
import { inBatchTransaction, storeBatch, type PersistResult } from './persist.ts';
import { maskSplitPhrases } from './split-window.ts';
import { Triage } from './triage.ts';

const MAX_BATCH = 500;
const MAX_WAIT_MS = 5;
const POLICY_TTL_MS = 2000;
const CONNECTOR_TTL_MS = 2000;

interface Pending {
  message: InboundEvent;
  resolve(): void;
  reject(err: unknown): void;
}

export interface PipelineDeps {
  db: Db;
  /** The batch writes go straight to pg (see persist.ts). */
  sql: pg.Pool;
  events: EventBus;
  actions: Queue;
  log: Logger;
}

export class InboundPipeline {
  private pending: Pending[] = [];
  private timer?: NodeJS.Timeout;
  private policy?: { value: GuardPolicy; at: number };
  private readonly connectors = new Map<string, { botUserId: string | null; at: number }>();

  private readonly triage: Triage;

  constructor(private readonly deps: PipelineDeps) {
    this.triage = new Triage(deps.db);
  }

  /** Resolves once the message is stored (or recognised as a repeat or an echo). Throws on invalid payloads. */
  submit(payload: unknown): Promise<void> {
    const message = normalizeInbound(payload);
    return new Promise((resolve, reject) => {
      this.pending.push({ message, resolve, reject });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), MAX_WAIT_MS);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    this.process(batch.map((p) => p.message)).then(
      () => batch.forEach((p) => p.resolve()),
      (err) => batch.forEach((p) => p.reject(err)),
    );
  }

  /**
   * The bot account of each connector (its own messages are echoes), for the connectors that exist; cached
   * briefly, since a query per batch is a real share of a small batch's cost. A connector's bot account is set
   * when it connects, before it receives anything.
   */
  private async botUserIds(connectorIds: string[]): Promise<Map<string, string | null>> {
    const now = Date.now();
    const wanted = [...new Set(connectorIds)];
    const stale = wanted.filter((id) => {
      const known = this.connectors.get(id);
      return !known || now - known.at > CONNECTOR_TTL_MS;
    });
    if (stale.length) {
      const rows = await this.deps.db.connector.findMany({ where: { id: { in: stale } }, select: { id: true, botUserId: true } });
      for (const row of rows) this.connectors.set(row.id, { botUserId: row.botUserId, at: now });
      for (const id of stale) if (!rows.some((r) => r.id === id)) this.connectors.delete(id);
    }
    return new Map(wanted.flatMap((id) => (this.connectors.has(id) ? [[id, this.connectors.get(id)!.botUserId] as const] : [])));
  }

  private async currentPolicy(): Promise<GuardPolicy> {
    if (!this.policy || Date.now() - this.policy.at > POLICY_TTL_MS) {
      this.policy = { value: await loadGuardPolicy(this.deps.db), at: Date.now() };
    }
    return this.policy.value;
  }

  /** Runs the stages over one batch; returns what it stored, changed or marked deleted. */
  async process(batch: InboundEvent[]): Promise<PersistResult> {
    const { sql, events, actions, log } = this.deps;
    const botUserIds = await this.botUserIds(batch.map((m) => m.connectorId));
    // An event for a connector deleted meanwhile has nowhere to go.
    const fresh = dedupe(batch.filter((m) => botUserIds.has(m.connectorId)), (id) => botUserIds.get(id));
    const posts = fresh.filter((e): e is InboundMessage => !isDeletion(e));
    const deletions = fresh.filter((e): e is InboundDeletion => isDeletion(e));
    if (!posts.length && !deletions.length) return { messages: [], deleted: [] };
    const policy = await this.currentPolicy();
    // The account's own messages are masked by the same policy, but are never parts of a customer's phrase.
    const own = posts.filter((m) => m.direction === 'outbound').map((m) => guardMessage(m, policy));
    const customers = posts.filter((m) => m.direction !== 'outbound').map((m) => guardMessage(m, policy));
    const { messages, deleted, earlierParts } = await inBatchTransaction(sql, async (client) => {
      // First in the transaction: its locks keep a customer's concurrent batches apart (see split-window.ts).
      const split = await maskSplitPhrases(client, customers, policy);
      const guarded = [...split.guarded, ...own];
      const stored = await storeBatch(client, guarded, deletions);
      // Triage in the same transaction: a conversation is never seen, or left by a crash, without it.
      await this.triage.apply(client, guarded, stored.messages, policy);
      // Other parts of a phrase completed by this batch: masked in storage now, and acted on below.
      return { ...stored, earlierParts: await split.storeEarlier(client) };
    });

    const toPublish: InboxEvent[] = [];
    const conversations = new Set<string>();
    for (const m of messages) {
      if (m.change === 'repeated') continue;
      toPublish.push({ type: m.change === 'created' ? 'message.created' : 'message.updated', conversationId: m.conversationId, messageId: m.id });
      conversations.add(m.conversationId);
    }
    for (const d of deleted) {
      toPublish.push({ type: 'message.updated', conversationId: d.conversationId, messageId: d.id });
      conversations.add(d.conversationId);
    }
    for (const id of conversations) toPublish.push({ type: 'conversation.updated', conversationId: id });
    toPublish.push(...earlierParts.events);
    await events.publish(toPublish);

    // Every public message whose findings call for action, repeats included: the round's job id and its stored
    // steps are named by the findings, so a redelivery acts once, and an edit that adds a secret acts anew.
    const requests = messages.flatMap((m) => {
      const actionable = m.visibility === 'public' && m.direction === 'inbound' ? m.findings.filter((f) => policy.types[f.type].publicAction !== 'none') : [];
      return actionable.length ? [{ messageId: m.id, trigger: guardTrigger(actionable) }] : [];
    });
    requests.push(...earlierParts.requests);
    await enqueueGuardActions(actions, requests);
    if (messages.length || deleted.length) {
      log.debug({ events: batch.length, stored: messages.length, deleted: deleted.length, leaks: requests.length }, 'inbound batch stored');
    }
    return { messages, deleted };
  }
}
