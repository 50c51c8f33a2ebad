// Edits and deletions through the pipeline, without a platform: an edit replaces the stored (masked) text and
// its findings and is guarded again, an older version never replaces a newer one, an edit of a message never
// seen is stored as the message, a deletion marks the message and keeps its masked text, and every change is an
// SSE event. The guard's actions for a secret added by an edit are queued once per set of findings, however
// often the edit is delivered. (The platform round trips are in test/message-edits-e2e.test.ts.)
import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEvent, InboundMessage } from '../src/domain/types.ts';
import type { InboxEvent } from '../src/pipeline/notify.ts';
import { startTestInbox, type TestInbox } from './support/inbox.ts';

let inbox: TestInbox;
let connectorId: string;
const published: InboxEvent[] = [];

beforeAll(async () => {
  // No workers: the actions queue is inspected, not run.
  inbox = await startTestInbox({ roles: 'api' });
  const res = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: { platform: 'telegram', name: 'Edits', enabled: false, credentials: { botToken: '123456789:AAHsecretsecretsecretsecretsecret00' }, settings: { apiRoot: 'http://127.0.0.1:9', mode: 'polling' } },
  });
  connectorId = res.body.id;
  await inbox.app.events.subscribe((e) => published.push(e));
});
afterAll(async () => {
  await inbox?.stop();
});

let n = 0;
function post(over: Partial<InboundMessage> = {}): InboundMessage {
  n += 1;
  return {
    platform: 'telegram',
    connectorId,
    externalId: `-100777:${n}`,
    externalThreadId: `-100777:0:${5000 + n}`,
    channelId: '-100777',
    visibility: 'public',
    author: { id: String(5000 + n), handle: `edit${n}`, displayName: `Editor ${n}` },
    text: 'hello, my withdrawal is stuck',
    createdAt: new Date('2026-03-01T10:00:00Z'),
    ...over,
  };
}
const edit = (original: InboundMessage, text: string, at: string): InboundMessage => ({ ...original, kind: 'edited', text, editedAt: new Date(at) });
const process = (...events: InboundEvent[]) => inbox.app.pipeline.process(events);

async function storedMessage(original: InboundMessage) {
  const row = await inbox.app.db.message.findUniqueOrThrow({ where: { connectorId_externalId: { connectorId, externalId: original.externalId } } });
  const items: any[] = (await inbox.api(`/api/conversations/${row.conversationId}/messages`)).body.items;
  return items.find((m) => m.id === row.id);
}
const actionJobsFor = async (messageId: string) =>
  (await inbox.app.queues.actions.getJobs(['waiting', 'delayed', 'active', 'completed'])).filter((j) => j.data.messageId === messageId);

describe('edits', () => {
  it('replace the stored text, guard it again and publish message.updated', async () => {
    const original = post();
    await process(original);
    const before = await storedMessage(original);
    expect(before).toMatchObject({ text: 'hello, my withdrawal is stuck', editedAt: null, deletedAt: null, findings: [] });

    published.length = 0;
    const phrase = generateMnemonic(wordlist);
    await process(edit(original, `hello, my recovery phrase is ${phrase}`, '2026-03-01T10:05:00Z'));
    const after = await storedMessage(original);
    expect(after.id).toBe(before.id);
    expect(after.editedAt).toBe('2026-03-01T10:05:00.000Z');
    expect(after.text).not.toContain(phrase.split(' ')[0] + ' ' + phrase.split(' ')[1]);
    expect(after.findings.map((f: any) => f.type)).toEqual(['seed_phrase']);
    expect(published).toContainEqual({ type: 'message.updated', conversationId: after.conversationId, messageId: after.id });
    expect(published.some((e) => e.type === 'message.created')).toBe(false);
    expect(JSON.stringify(await inbox.dumpDatabase())).not.toContain(phrase);

    const conversation = (await inbox.api(`/api/conversations/${after.conversationId}`)).body;
    expect(conversation.flagged).toBe(true);
  });

  it('queue the guard once for a secret an edit adds, whatever the redeliveries', async () => {
    const original = post();
    await process(original);
    const message = await storedMessage(original);
    expect(await actionJobsFor(message.id)).toHaveLength(0);

    const leaked = edit(original, `oops: ${generateMnemonic(wordlist)}`, '2026-03-01T11:00:00Z');
    await process(leaked);
    await process(leaked); // redelivered
    await process(original, leaked); // a replay of both
    const jobs = await actionJobsFor(message.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.id).toContain(message.id);
    expect(jobs[0]!.data.trigger).toMatch(/^[0-9a-f]{16}$/);
  });

  it('never let an older version replace a newer one', async () => {
    const original = post();
    await process(original);
    await process(edit(original, 'second version', '2026-03-01T10:10:00Z'));
    await process(edit(original, 'first version', '2026-03-01T10:05:00Z'));
    await process(original); // the post itself, redelivered late
    const stored = await storedMessage(original);
    expect(stored).toMatchObject({ text: 'second version', editedAt: '2026-03-01T10:10:00.000Z' });
  });

  it('keep the newest of several versions in one batch', async () => {
    const original = post();
    await process(original, edit(original, 'v3', '2026-03-01T10:03:00Z'), edit(original, 'v2', '2026-03-01T10:02:00Z'));
    expect(await storedMessage(original)).toMatchObject({ text: 'v3' });
  });

  it('store an edit of a message never seen as the message, and ignore its late original', async () => {
    const original = post({ text: 'the first words' });
    published.length = 0;
    await process(edit(original, 'the edited words', '2026-03-01T10:01:00Z'));
    const stored = await storedMessage(original);
    expect(stored).toMatchObject({ text: 'the edited words', editedAt: '2026-03-01T10:01:00.000Z', createdAt: '2026-03-01T10:00:00.000Z' });
    expect(published).toContainEqual({ type: 'message.created', conversationId: stored.conversationId, messageId: stored.id });
    await process(original);
    expect(await storedMessage(original)).toMatchObject({ text: 'the edited words' });
  });

  it('edit private messages the same way, without actions', async () => {
    const original = post({ visibility: 'private', externalThreadId: 'dm:edits-private' });
    await process(original);
    await process(edit(original, 'my password is hunter2hunter2', '2026-03-01T10:01:00Z'));
    const stored = await storedMessage(original);
    expect(stored.text).not.toContain('hunter2hunter2');
    expect(await actionJobsFor(stored.id)).toHaveLength(0);
  });
});

describe('deletions', () => {
  const deletion = (m: InboundMessage, at = '2026-03-01T12:00:00Z'): InboundEvent => ({
    kind: 'deleted',
    platform: m.platform,
    connectorId: m.connectorId,
    externalId: m.externalId,
    channelId: m.channelId,
    deletedAt: new Date(at),
  });

  it('mark the message deleted, keep its masked text, publish message.updated once', async () => {
    const original = post({ text: 'card 4111 1111 1111 1111 please refund' });
    await process(original);
    published.length = 0;
    await process(deletion(original));
    await process(deletion(original, '2026-03-01T12:30:00Z')); // redelivered later
    const stored = await storedMessage(original);
    expect(stored.deletedAt).toBe('2026-03-01T12:00:00.000Z');
    expect(stored.text).toContain('please refund');
    expect(stored.text).not.toContain('4111 1111 1111 1111');
    expect(published.filter((e) => e.type === 'message.updated')).toEqual([{ type: 'message.updated', conversationId: stored.conversationId, messageId: stored.id }]);
  });

  it('of a message posted and deleted in one batch leave it stored and deleted', async () => {
    const original = post();
    await process(original, deletion(original));
    expect((await storedMessage(original)).deletedAt).toBe('2026-03-01T12:00:00.000Z');
  });

  it('of messages never stored are dropped', async () => {
    const ghost = post();
    await expect(process(deletion(ghost))).resolves.toMatchObject({ deleted: [] });
    expect(await inbox.app.db.message.count({ where: { externalId: ghost.externalId } })).toBe(0);
  });

  it('pass through the queue payload check', async () => {
    const original = post();
    await process(original);
    await inbox.app.pipeline.submit(JSON.parse(JSON.stringify(deletion(original))));
    expect((await storedMessage(original)).deletedAt).toBe('2026-03-01T12:00:00.000Z');
    expect(() => inbox.app.pipeline.submit({ kind: 'deleted', connectorId })).toThrow(/externalId/);
  });
});
