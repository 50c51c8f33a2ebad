// The inbound pipeline: normalize → dedupe → guard → persist → notify, then hand public leaks to the guard's
// actions queue. Queue jobs arrive one message at a time; they are gathered into small batches (a few
// milliseconds' worth) and committed together, which is what keeps the database from becoming the bottleneck.
import type { Queue } from 'bullmq';
import type pg from 'pg';
import type { Db } from '../db/client.ts';
import { loadGuardPolicy } from '../db/settings.ts';
import type { InboundMessage } from '../domain/types.ts';
import type { GuardPolicy } from '../guard/policy.ts';
import type { Logger } from '../log.ts';
import { enqueueGuardActions } from '../queues/index.ts';
import { dedupe } from './dedupe.ts';
import { guardMessage } from './guard.ts';
import { normalizeInbound } from './normalize.ts';
import type { EventBus, InboxEvent } from './notify.ts';
import { persist, type StoredMessage } from './persist.ts';
import { Triage } from './triage.ts';

const MAX_BATCH = 500;
const MAX_WAIT_MS = 5;
const POLICY_TTL_MS = 2000;

interface Pending {
  message: InboundMessage;
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

  private async currentPolicy(): Promise<GuardPolicy> {
    if (!this.policy || Date.now() - this.policy.at > POLICY_TTL_MS) {
      this.policy = { value: await loadGuardPolicy(this.deps.db), at: Date.now() };
    }
    return this.policy.value;
  }

  /** Runs the stages over one batch; returns the messages that were new. */
  async process(batch: InboundMessage[]): Promise<StoredMessage[]> {
    const { db, sql, events, actions, log } = this.deps;
    const connectorIds = [...new Set(batch.map((m) => m.connectorId))];
    const connectors = await db.connector.findMany({ where: { id: { in: connectorIds } }, select: { id: true, botUserId: true } });
    const botUserIds = new Map(connectors.map((c) => [c.id, c.botUserId]));
    // A message for a connector deleted meanwhile has nowhere to go.
    const fresh = dedupe(batch.filter((m) => botUserIds.has(m.connectorId)), (id) => botUserIds.get(id));
    const policy = await this.currentPolicy();
    const guarded = fresh.map((m) => guardMessage(m, policy));
    const stored = await persist(sql, guarded);
    await this.triage.apply(sql, guarded, stored, policy);

    const toPublish: InboxEvent[] = [];
    for (const m of stored) toPublish.push({ type: 'message.created', conversationId: m.conversationId, messageId: m.id });
    for (const id of new Set(stored.map((m) => m.conversationId))) toPublish.push({ type: 'conversation.updated', conversationId: id });
    await events.publish(toPublish);

    const leaks = stored.filter((m) => m.visibility === 'public' && m.findings.some((f) => policy.types[f.type].publicAction !== 'none'));
    await enqueueGuardActions(actions, leaks.map((m) => m.id));
    if (stored.length) log.debug({ stored: stored.length, skipped: batch.length - stored.length, leaks: leaks.length }, 'inbound batch stored');
    return stored;
  }
}
