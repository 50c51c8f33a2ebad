// Issue #11's API: triage (intent, priority, first-response timer), search, canned answers, agents, notes,
// presence, one customer across platforms, the guard on agents' replies, and validation messages people can read.
// Customers' messages enter through the real pipeline (guard, persist, triage), as a connector would hand them in.
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage, Platform, Visibility } from '../src/domain/types.ts';
import { eventually, startTestInbox, type TestInbox } from './support/inbox.ts';

let inbox: TestInbox;
const connectors: Record<'telegram' | 'discord', string> = { telegram: '', discord: '' };

beforeAll(async () => {
  inbox = await startTestInbox({ roles: 'api,workers' });
  // Enabled but never started (no connectors role here): replies queue and fail quietly.
  const tg = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: { platform: 'telegram', name: 'TG', credentials: { botToken: '123456789:AAHsecretsecretsecretsecretsecret00' }, settings: { apiRoot: 'http://127.0.0.1:9' } },
  });
  const dc = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: { platform: 'discord', name: 'DC', credentials: { botToken: 'MTAxMDEwMTAxMDEwMTAxMDEw.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB' }, settings: { apiBase: 'http://127.0.0.1:9' } },
  });
  expect([tg.status, dc.status]).toEqual([201, 201]);
  connectors.telegram = tg.body.id;
  connectors.discord = dc.body.id;
});
afterAll(async () => {
  await inbox?.stop();
});

let seq = 0;
/** A customer's message, through the pipeline; answers the conversation it landed in. */
async function customerSays(
  who: { id: string; name: string; handle?: string; lang?: string },
  text: string,
  options: { platform?: 'telegram' | 'discord'; visibility?: Visibility; thread?: string; at?: Date } = {},
) {
  const platform: Platform = options.platform ?? 'telegram';
  const visibility = options.visibility ?? 'private';
  const thread = options.thread ?? (visibility === 'private' ? `dm:${who.id}` : `group:${who.id}`);
  const message: InboundMessage = {
    platform,
    connectorId: connectors[platform as 'telegram' | 'discord'],
    externalId: `ws-${++seq}`,
    externalThreadId: thread,
    channelId: thread,
    visibility,
    author: { id: who.id, displayName: who.name, ...(who.handle ? { handle: who.handle } : {}), ...(who.lang ? { languageHint: who.lang } : {}) },
    text,
    createdAt: options.at ?? new Date(),
  };
  await inbox.app.pipeline.process([message]);
  const row = await inbox.app.db.conversation.findUniqueOrThrow({ where: { connectorId_externalThreadId: { connectorId: message.connectorId, externalThreadId: thread } } });
  return (await inbox.api(`/api/conversations/${row.id}`)).body;
}

async function listAll(query = ''): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await inbox.api(`/api/conversations?limit=50${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

describe('triage', () => {
  it('reads the FAQ category in either language and puts a possible theft or a public leak first', async () => {
    const stolenEn = await customerSays({ id: 't-1', name: 'Tom' }, 'Someone logged in and my USDT was stolen!!');
    const stolenZh = await customerSays({ id: 't-2', name: '王芳', lang: 'zh-hans' }, '我的账户被盗了，币都被转走了');
    const topUp = await customerSays({ id: 't-3', name: 'Pia' }, 'My top-up of 50 EUR has not been credited yet');
    const topUpZh = await customerSays({ id: 't-4', name: '李雷' }, '充值两个小时了还没到账');
    const forgot = await customerSays({ id: 't-5', name: 'Fay' }, 'I forgot my password, how do I reset it?');
    const forgotZh = await customerSays({ id: 't-6', name: '赵敏' }, '忘记密码了怎么办');
    const security = await customerSays({ id: 't-7', name: 'Sec' }, 'Is this the official support account? How do I turn on 2FA?');
    const hello = await customerSays({ id: 't-8', name: 'Hal' }, 'hello there');
    const leak = await customerSays({ id: 't-9', name: 'Lee', handle: 'lee_pub' }, `my phrase is ${generateMnemonic(english)} pls help`, { visibility: 'public' });

    expect([stolenEn, stolenZh].map((c) => [c.intent, c.priority])).toEqual([
      ['account_compromised', 'urgent'],
      ['account_compromised', 'urgent'],
    ]);
    expect([topUp, topUpZh].map((c) => [c.intent, c.priority])).toEqual([
      ['payment_failed', 'high'],
      ['payment_failed', 'high'],
    ]);
    expect([forgot.intent, forgotZh.intent, security.intent, hello.intent]).toEqual(['forgot_password', 'forgot_password', 'security_question', 'other']);
    expect([forgot.priority, hello.priority]).toEqual(['normal', 'normal']);
    expect(leak).toMatchObject({ priority: 'urgent', flagged: true, findingTypes: ['seed_phrase'] });
    expect(stolenZh.language).toBe('zh');

    // Urgent conversations come first, whatever their age; then high; newest first within a level.
    const order = (await listAll()).map((c) => c.id);
    const rank = (id: string) => order.indexOf(id);
    for (const urgent of [stolenEn.id, stolenZh.id, leak.id]) {
      for (const other of [topUp.id, topUpZh.id, forgot.id, hello.id]) expect(rank(urgent)).toBeLessThan(rank(other));
    }
    expect(rank(topUpZh.id)).toBeLessThan(rank(forgot.id));
    expect((await listAll('&priority=urgent')).map((c) => c.id).sort()).toEqual([stolenEn.id, stolenZh.id, leak.id].sort());
  });

  it('lets agents change intent and priority; later messages only ever raise them', async () => {
    const c = await customerSays({ id: 't-20', name: 'Ana' }, 'hi');
    const patched = await inbox.api(`/api/conversations/${c.id}`, { method: 'PATCH', body: { priority: 'low', intent: 'security_question' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ priority: 'low', intent: 'security_question' });
    // A harmless follow-up keeps the agent's choice…
    expect(await customerSays({ id: 't-20', name: 'Ana' }, 'thanks, one more question')).toMatchObject({ priority: 'low', intent: 'security_question' });
    // …news of a theft overrides it.
    expect(await customerSays({ id: 't-20', name: 'Ana' }, 'wait, my funds are gone, I was hacked')).toMatchObject({ priority: 'urgent', intent: 'account_compromised' });
    const bad = await inbox.api(`/api/conversations/${c.id}`, { method: 'PATCH', body: { priority: 'asap' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.priority).toBe('must be one of "urgent", "high", "normal", "low"');
  });

  it('runs a first-response timer per platform target, stops it at the first agent reply, restarts it after resolving', async () => {
    expect((await inbox.api('/api/settings/sla')).body).toEqual({ targetsMinutes: { telegram: 30, discord: 30, x: 60 } });
    expect((await inbox.api('/api/settings/sla', { method: 'PUT', body: { targetsMinutes: { telegram: 5, discord: 15, x: 60 } } })).status).toBe(403);
    const put = await inbox.api('/api/settings/sla', { method: 'PUT', token: inbox.adminToken, body: { targetsMinutes: { telegram: 5, discord: 15, x: 60 } } });
    expect(put.status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100)); // the pipeline caches targets for 2 s

    const at = new Date(Date.now() - 10 * 60_000); // wrote 10 minutes ago: a 5-minute target is missed
    const late = await customerSays({ id: 't-30', name: 'Otto' }, 'anyone there?', { at });
    expect(late.firstResponseDueAt).toBe(new Date(at.getTime() + 5 * 60_000).toISOString());
    expect(late).toMatchObject({ overdue: true, firstRespondedAt: null });
    const onDiscord = await customerSays({ id: 't-31', name: 'Dora' }, 'hello', { platform: 'discord', at });
    expect(onDiscord.firstResponseDueAt).toBe(new Date(at.getTime() + 15 * 60_000).toISOString());
    expect(onDiscord.overdue).toBe(false);
    expect((await listAll('&overdue=true')).map((c) => c.id)).toContain(late.id);

    const reply = await inbox.api(`/api/conversations/${late.id}/messages`, { body: { text: 'Sorry for the wait, looking now.' } });
    expect(reply.status).toBe(202);
    const answered = (await inbox.api(`/api/conversations/${late.id}`)).body;
    expect(answered).toMatchObject({ overdue: false, firstResponseDueAt: late.firstResponseDueAt });
    expect(answered.firstRespondedAt).not.toBeNull();
    // Another customer message does not restart a met timer…
    expect((await customerSays({ id: 't-30', name: 'Otto' }, 'thanks')).firstResponseDueAt).toBe(late.firstResponseDueAt);
    // …resolving clears it, and the next message starts a new one.
    await inbox.api(`/api/conversations/${late.id}`, { method: 'PATCH', body: { status: 'resolved' } });
    const again = await customerSays({ id: 't-30', name: 'Otto' }, 'one more thing');
    expect(again.status).toBe('open');
    expect(again.firstRespondedAt).toBeNull();
    expect(Date.parse(again.firstResponseDueAt)).toBeGreaterThan(Date.now());
  });
});

describe('search', () => {
  it('finds conversations by contact name, handle and masked text, in Chinese and English, never by a secret', async () => {
    const card = '4111 1111 1111 1111';
    const a = await customerSays({ id: 's-1', name: 'Quentin Blake', handle: 'qblake' }, `my card ${card} was declined at the zoo shop`);
    const b = await customerSays({ id: 's-2', name: '欧阳娜娜' }, '提现一直显示处理中，请帮忙看看');
    const c = await customerSays({ id: 's-3', name: 'Rita' }, 'Where is the 100% bonus_code page?');
    await customerSays({ id: 's-4', name: 'Rob' }, 'the bonusXcode gives 1000 points');

    const ids = async (q: string) => (await listAll(`&q=${encodeURIComponent(q)}`)).map((x) => x.id);
    expect(await ids('quentin')).toEqual([a.id]);
    expect(await ids('QBLAKE')).toEqual([a.id]);
    expect(await ids('zoo shop')).toEqual([a.id]);
    expect(await ids('欧阳')).toEqual([b.id]);
    expect(await ids('处理中')).toEqual([b.id]);
    expect(await ids('4111')).toEqual([]); // masked before it was stored
    expect(await ids('1111 1111')).toEqual([]);
    expect(await ids('100%')).toEqual([c.id]); // LIKE's wildcards are taken literally
    expect(await ids('xs_code')).toEqual([]);
    expect(await ids('bonus_code')).toEqual([c.id]);
    // Search combines with filters and paging.
    expect(await ids('declined')).toEqual([a.id]);
    expect((await listAll(`&q=declined&platform=discord`)).length).toBe(0);
 
  });

  it('pages through a common word (the plan that walks the list) in order, each match once', async () => {
    const base = Date.now() - 3_600_000;
    await inbox.app.pipeline.process(
      Array.from({ length: 520 }, (_, i) => ({
        platform: 'telegram' as const,
        connectorId: connectors.telegram,
        externalId: `common-${i}`,
        externalThreadId: `dm:common-${i}`,
        channelId: `common-${i}`,
        visibility: 'private' as const,
        author: { id: `common-${i}`, displayName: `Common ${i}` },
        text: i % 2 ? `余额不对，请帮我看看 ${i}` : `my balance looks wrong ${i}`,
        createdAt: new Date(base + i * 1000),
      })),
    );
    const english = await listAll('&q=balance%20looks');
    expect(english).toHaveLength(260);
    expect(new Set(english.map((c) => c.id)).size).toBe(260);
    expect(english[0].contact.displayName).toBe('Common 518'); // newest first within one priority
    const chinese = await listAll(`&q=${encodeURIComponent('余额')}`);
    expect(chinese).toHaveLength(260);
    const both = await listAll('&q=common');
    expect(both).toHaveLength(520); // by contact name
    expect((await inbox.api('/api/conversations?q=a')).body.error.fields.q).toBe('must have at least 2 characters');
  });
});

describe('canned responses', () => {
  it('come seeded from the FAQ in both languages, found by shortcut or words', async () => {
    const all = (await inbox.api('/api/canned-responses')).body.items;
    const shortcuts = new Set(all.map((r: any) => `${r.shortcut}/${r.language}`));
    for (const s of ['stolen', 'password', 'payment', 'security', 'never']) for (const l of ['en', 'zh']) expect(shortcuts.has(`${s}/${l}`)).toBe(true);

    const zh = (await inbox.api('/api/canned-responses?q=sto&language=zh')).body.items;
    expect(zh).toHaveLength(1);
    expect(zh[0]).toMatchObject({ shortcut: 'stolen', language: 'zh' });
    expect(zh[0].text).toContain('冻结');
    const en = (await inbox.api('/api/canned-responses?q=stolen&language=en')).body.items[0];
    expect(en.text).toMatch(/freeze/i);
    expect(en.text).toMatch(/police/i);
    expect((await inbox.api('/api/canned-responses?q=merchant&language=en')).body.items.map((r: any) => r.shortcut)).toEqual(['payment']);
    const never = (await inbox.api('/api/canned-responses?q=never&language=en')).body.items[0];
    expect(never.text).toMatch(/never ask for your recovery phrase, private key, password or codes/);
    // The seeded answers pass the guard on replies: agents can send them as they are.
    const conversation = await customerSays({ id: 'cr-1', name: 'Cora' }, 'help');
    for (const r of all) {
      const check = await inbox.api('/api/guard/check', { body: { text: r.text, conversationId: conversation.id } });
      expect([r.shortcut, check.body.blocked]).toEqual([r.shortcut, []]);
    }
  });

  it('are written by admins only', async () => {
    const body = { shortcut: 'Refund', language: 'en', title: 'Refunds', text: 'Refunds take 3 to 5 business days.' };
    expect((await inbox.api('/api/canned-responses', { body })).status).toBe(403);
    const created = await inbox.api('/api/canned-responses', { token: inbox.adminToken, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ shortcut: 'refund', language: 'en' });
    expect((await inbox.api('/api/canned-responses', { token: inbox.adminToken, body })).status).toBe(409);
    const bad = await inbox.api('/api/canned-responses', { token: inbox.adminToken, body: { ...body, shortcut: 'two words', language: 'fr' } });
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['language', 'shortcut']);

    const patched = await inbox.api(`/api/canned-responses/${created.body.id}`, { method: 'PATCH', token: inbox.adminToken, body: { text: 'Refunds take up to 5 business days.' } });
    expect(patched.body.text).toBe('Refunds take up to 5 business days.');
    expect((await inbox.api(`/api/canned-responses/${created.body.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await inbox.api(`/api/canned-responses/${created.body.id}`, { method: 'DELETE', token: inbox.adminToken })).status).toBe(204);
    expect((await inbox.api(`/api/canned-responses/${created.body.id}`, { method: 'DELETE', token: inbox.adminToken })).status).toBe(404);
  });

  it('refuse a recovery phrase or a card number, on creation and on edit, and store neither', async () => {
    const phrase = generateMnemonic(english);
    const body = { shortcut: 'restore', language: 'en', title: 'Restore', text: `Type your words like ${phrase} into the app.` };
    const refused = await inbox.api('/api/canned-responses', { token: inbox.adminToken, body });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'secret_in_reply', fields: { types: ['seed_phrase'] } });
    expect(refused.body.error.message).toMatch(/^This canned response contains a recovery phrase/);
    expect(refused.body.error.details).toEqual({ types: ['seed_phrase'], subject: 'canned_response', never: true });

    const created = await inbox.api('/api/canned-responses', { token: inbox.adminToken, body: { ...body, text: 'Open the app and choose Restore.' } });
    expect(created.status).toBe(201);
    const edit = (patch: object) => inbox.api(`/api/canned-responses/${created.body.id}`, { method: 'PATCH', token: inbox.adminToken, body: patch });
    const patched = await edit({ text: 'Pay with 4111 1111 1111 1111 again.' });
    expect(patched.status).toBe(422);
    expect(patched.body.error.fields.types).toEqual(['payment_card']);
    expect((await edit({ title: `Restore ${phrase}` })).status).toBe(422);
    expect((await inbox.api('/api/canned-responses?q=restore&language=en')).body.items[0].text).toBe('Open the app and choose Restore.');
    expect(await inbox.dumpDatabase()).not.toContain(phrase);
  });
});

describe('replies through a disabled connector', () => {
  it('are refused with 409 connector_disabled, naming the connector in details', async () => {
    const conversation = await customerSays({ id: 'dis-1', name: 'Dora' }, 'hello?', { platform: 'discord' });
    expect((await inbox.api(`/api/connectors/${connectors.discord}`, { method: 'PATCH', token: inbox.adminToken, body: { enabled: false } })).status).toBe(200);
    try {
      const refused = await inbox.api(`/api/conversations/${conversation.id}/messages`, { body: { text: 'Hi Dora' } });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'connector_disabled', details: { connector: 'DC' } });
    } finally {
      await inbox.api(`/api/connectors/${connectors.discord}`, { method: 'PATCH', token: inbox.adminToken, body: { enabled: true } });
    }
  });
});

describe('the guard on agents’ replies', () => {
  it('refuses a reply carrying a recovery phrase or a card number, stores and queues nothing', async () => {
    const pub = await customerSays({ id: 'g-1', name: 'Gus', handle: 'gus' }, 'my card is not working', { visibility: 'public' });
    const phrase = generateMnemonic(english);
    const before = await inbox.app.db.message.count({ where: { conversationId: pub.id } });
    const refused = await inbox.api(`/api/conversations/${pub.id}/messages`, { body: { text: `Your phrase ${phrase} and card 4111 1111 1111 1111 look fine` } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('secret_in_reply');
    expect(refused.body.error.fields.types).toEqual(['seed_phrase', 'payment_card']);
    expect(refused.body.error.message).toBe('This reply contains a recovery phrase and a card number. Support never sends these: remove them and send again.');
    expect(refused.body.error.details).toEqual({ types: ['seed_phrase', 'payment_card'], subject: 'reply', never: true });
    expect(await inbox.app.db.message.count({ where: { conversationId: pub.id } })).toBe(before);
    expect(await inbox.app.queues.outbound.getJobCounts()).toMatchObject({ waiting: 0 });
    expect(await inbox.dumpDatabase()).not.toContain(phrase.split(' ').slice(0, 4).join(' '));

    for (const [text, type] of [
      ['your password: Hunter2!xyz', 'password'],
      ['the code is 493817, enter it', 'otp'],
    ] as const) {
      const res = await inbox.api(`/api/conversations/${pub.id}/messages`, { body: { text } });
      expect([res.status, res.body.error.fields.types]).toEqual([422, [type]]);
    }
  });

  it('shows the composer what it found before sending', async () => {
    const dm = await customerSays({ id: 'g-2', name: 'Gia' }, 'hello');
    const text = 'Call us on +44 20 7946 0958 or send your card 4111 1111 1111 1111';
    const check = await inbox.api('/api/guard/check', { body: { text, conversationId: dm.id } });
    expect(check.status).toBe(200);
    expect(check.body.blocked).toEqual(['payment_card']);
    expect(check.body.findings.map((f: any) => [f.type, text.slice(f.start, f.end)])).toEqual([
      ['phone', '+44 20 7946 0958'],
      ['payment_card', '4111 1111 1111 1111'],
    ]);
    expect((await inbox.api('/api/guard/check', { body: { text: 'fine', conversationId: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
  });

  it('allows a phone number or email in a private reply, not in a public one', async () => {
    const dm = await customerSays({ id: 'g-3', name: 'Hana' }, 'how can I reach you?');
    const text = 'Write to security@wallet.example or call +44 20 7946 0958.';
    const sent = await inbox.api(`/api/conversations/${dm.id}/messages`, { body: { text } });
    expect(sent.status).toBe(202);
    expect(sent.body.text).toBe(text);
    expect(sent.body.findings.map((f: any) => [f.type, f.masked])).toEqual([
      ['email', false],
      ['phone', false],
    ]);
    expect(sent.body.author).toMatchObject({ kind: 'agent', name: 'Sam Agent' });

    const pub = await customerSays({ id: 'g-4', name: 'Ivo' }, 'how can I reach you?', { visibility: 'public' });
    const refused = await inbox.api(`/api/conversations/${pub.id}/messages`, { body: { text } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields.types).toEqual(['email', 'phone']);
    expect(refused.body.error.message).toMatch(/not shown in this conversation/);
  });
});

describe('teamwork', () => {
  it('lists active agents by name, without emails', async () => {
    const leaver = await inbox.api('/api/users', { token: inbox.adminToken, body: { email: 'gone@example.com', password: 'longenough1', role: 'agent', name: 'Gone Person' } });
    await inbox.api(`/api/users/${leaver.body.id}`, { method: 'PATCH', token: inbox.adminToken, body: { active: false } });
    const agents = await inbox.api('/api/agents');
    expect(agents.status).toBe(200);
    const names = agents.body.items.map((a: any) => a.name);
    expect(names).toEqual(expect.arrayContaining(['Ada Admin', 'Sam Agent']));
    expect(names).not.toContain('Gone Person');
    expect(JSON.stringify(agents.body)).not.toContain('@example.com');

    const conversation = await customerSays({ id: 'tw-0', name: 'Asa' }, 'hi');
    const ada = agents.body.items.find((a: any) => a.name === 'Ada Admin');
    const assigned = await inbox.api(`/api/conversations/${conversation.id}`, { method: 'PATCH', body: { assigneeId: ada.id } });
    expect(assigned.body.assignee).toEqual({ id: ada.id, name: 'Ada Admin' });
    expect((await listAll(`&assigneeId=${ada.id}`)).map((c) => c.id)).toEqual([conversation.id]);
  });

  it('keeps notes private: stored masked, streamed to agents, never a message to the customer', async () => {
    const conversation = await customerSays({ id: 'tw-1', name: 'Nia' }, 'I need help');
    const events = await openEvents();
    const note = await inbox.api(`/api/conversations/${conversation.id}/notes`, { body: { text: 'Called her; she read out card 4111 1111 1111 1111, told her never to.' } });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ conversationId: conversation.id, author: { name: 'Sam Agent' } });
    expect(note.body.text).toBe('Called her; she read out card [payment_card removed], told her never to.');
    const streamed = await events.until('note.created');
    expect(streamed.note.id).toBe(note.body.id);
    events.close();

    expect((await inbox.api(`/api/conversations/${conversation.id}/notes`)).body.items.map((n: any) => n.id)).toEqual([note.body.id]);
    const messages = (await inbox.api(`/api/conversations/${conversation.id}/messages`)).body.items;
    expect(messages.map((m: any) => m.direction)).toEqual(['inbound']);
    expect(await inbox.dumpDatabase()).not.toContain('4111 1111 1111 1111');
    expect((await inbox.api(`/api/conversations/${conversation.id}/notes`, { body: { text: '  ' } })).status).toBe(400);
  });

  it('shows who else has a conversation open or is typing, live', async () => {
    const conversation = await customerSays({ id: 'tw-2', name: 'Pam' }, 'hello?');
    const events = await openEvents();
    const viewing = await inbox.api(`/api/conversations/${conversation.id}/presence`, { token: inbox.adminToken, body: { state: 'viewing' } });
    expect(viewing.body.users).toEqual([expect.objectContaining({ name: 'Ada Admin', typing: false })]);
    await inbox.api(`/api/conversations/${conversation.id}/presence`, { body: { state: 'typing' } });
    const seen = await events.until('presence', (e) => e.users.length === 2);
    expect(seen.users.map((u: any) => [u.name, u.typing])).toEqual([
      ['Ada Admin', false],
      ['Sam Agent', true],
    ]);
    await inbox.api(`/api/conversations/${conversation.id}/presence`, { token: inbox.adminToken, body: { state: 'left' } });
    const left = await events.until('presence', (e) => e.users.length === 1 && e.users[0].name === 'Sam Agent');
    expect(left.users[0].typing).toBe(true);
    // Typing lapses after 6 s without a heartbeat saying so; everyone is told.
    const stopped = await events.until('presence', (e) => e.users.length === 1 && e.users[0].name === 'Sam Agent' && !e.users[0].typing, 12_000);
    expect(stopped.users[0].name).toBe('Sam Agent');
    events.close();
    expect((await inbox.api(`/api/conversations/${conversation.id}/presence`, { body: { state: 'away' } })).status).toBe(400);
  });
});

describe('one customer across platforms', () => {
  it('links two identities into one contact with all their conversations, and splits them again', async () => {
    const onTelegram = await customerSays({ id: 'x-1', name: 'Mia', handle: 'mia_tg' }, 'my withdrawal is stuck');
    const onTelegramPublic = await customerSays({ id: 'x-1', name: 'Mia', handle: 'mia_tg' }, 'support please', { visibility: 'public' });
    const onDiscord = await customerSays({ id: 'd-1', name: 'Mia D', handle: 'miad' }, 'same issue here', { platform: 'discord' });
    expect(onTelegram.contact.id).toBe(onTelegramPublic.contact.id);
    expect(onDiscord.contact.id).not.toBe(onTelegram.contact.id);

    const linked = await inbox.api(`/api/contacts/${onTelegram.contact.id}/links`, { body: { contactId: onDiscord.contact.id } });
    expect(linked.status).toBe(200);
    expect(linked.body.identities.map((i: any) => [i.platform, i.handle])).toEqual(
      expect.arrayContaining([
        ['telegram', 'mia_tg'],
        ['discord', 'miad'],
      ]),
    );
    expect(linked.body.conversations.map((c: any) => c.id).sort()).toEqual([onTelegram.id, onTelegramPublic.id, onDiscord.id].sort());
    expect((await inbox.api(`/api/contacts/${onDiscord.contact.id}`)).status).toBe(404);
    // Her next Discord message lands on the merged contact.
    expect((await customerSays({ id: 'd-1', name: 'Mia D', handle: 'miad' }, 'any news?', { platform: 'discord' })).contact.id).toBe(onTelegram.contact.id);

    const discordIdentity = linked.body.identities.find((i: any) => i.platform === 'discord');
    const split = await inbox.api(`/api/contacts/${onTelegram.contact.id}/identities/${discordIdentity.id}`, { method: 'DELETE' });
    expect(split.status).toBe(200);
    expect(split.body.identities.map((i: any) => i.id)).toEqual([discordIdentity.id]);
    expect(split.body.conversations.map((c: any) => c.id)).toEqual([onDiscord.id]);
    const rest = (await inbox.api(`/api/contacts/${onTelegram.contact.id}`)).body;
    expect(rest.conversations.map((c: any) => c.id).sort()).toEqual([onTelegram.id, onTelegramPublic.id].sort());
    const last = rest.identities[0];
    expect((await inbox.api(`/api/contacts/${onTelegram.contact.id}/identities/${last.id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await inbox.api(`/api/contacts/${onTelegram.contact.id}/links`, { body: { contactId: onTelegram.contact.id } })).status).toBe(400);
  });
});

describe('a long thread', () => {
  it('opens with its latest messages and pages back with before', async () => {
    const base = Date.now() - 60_000;
    let conversation: any;
    for (let i = 0; i < 5; i++) conversation = await customerSays({ id: 'lt-1', name: 'Lena' }, `message ${i}`, { at: new Date(base + i * 1000) });
    const texts = (body: any) => body.items.map((m: any) => m.text);
    const latest = (await inbox.api(`/api/conversations/${conversation.id}/messages?limit=2`)).body;
    expect([texts(latest), latest.hasMore]).toEqual([['message 3', 'message 4'], true]);
    const earlier = (await inbox.api(`/api/conversations/${conversation.id}/messages?limit=2&before=${latest.items[0].id}`)).body;
    expect([texts(earlier), earlier.hasMore]).toEqual([['message 1', 'message 2'], true]);
    const first = (await inbox.api(`/api/conversations/${conversation.id}/messages?limit=2&before=${earlier.items[0].id}`)).body;
    expect([texts(first), first.hasMore]).toEqual([['message 0'], false]);
    const all = (await inbox.api(`/api/conversations/${conversation.id}/messages`)).body;
    expect([all.items.length, all.hasMore]).toEqual([5, false]);
    const foreign = await inbox.api(`/api/conversations/${conversation.id}/messages?before=00000000-0000-4000-8000-000000000000`);
    expect(foreign.body.error.fields.before).toBe('must be the id of a message in this conversation');
  });
});

describe('validation messages', () => {
  it('read as sentences', async () => {
    const since = await inbox.api('/api/audit?since=yesterday', { token: inbox.adminToken });
    expect(since.status).toBe(400);
    expect(since.body.error.message).toBe('since: must be a date, for example 2026-11-29T08:00:00Z.');
    expect(since.body.error.fields).toEqual({ since: 'must be a date, for example 2026-11-29T08:00:00Z' });
    const limit = await inbox.api('/api/conversations?limit=0');
    expect(limit.body.error.fields.limit).toBe('must be at least 1');
    const missing = await inbox.api('/api/canned-responses', { token: inbox.adminToken, body: {} });
    expect(missing.body.error.fields).toMatchObject({ shortcut: 'is required', language: 'is required' });
    expect(missing.body.error.message).toMatch(/^shortcut: is required \(and 3 more problems\)\.$/);
    expect(JSON.stringify([since.body, limit.body, missing.body])).not.toMatch(/expected|received/i);
  });

  it('answers 404 for the demo endpoint when demo mode is off', async () => {
    const res = await inbox.api('/api/demo/messages', { body: { platform: 'telegram', visibility: 'public', text: 'hi' } });
    expect(res.status).toBe(404);
  });
});

/** A live /api/events stream for the agent, with a helper that waits for one kind of event. */
async function openEvents() {
  const controller = new AbortController();
  const res = await fetch(`${inbox.url}/api/events`, { headers: { authorization: `Bearer ${inbox.agentToken}` }, signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const seen: Array<{ type: string; data: any }> = [];
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (type && data) seen.push({ type, data: JSON.parse(data) });
        }
      }
    } catch {}
  })();
  await new Promise((r) => setTimeout(r, 100)); // the subscription is in place
  return {
    until: (type: string, match: (data: any) => boolean = () => true, ms = 5000) =>
      eventually(() => seen.find((e) => e.type === type && match(e.data))?.data, ms, `SSE ${type}`),
    close: () => {
      controller.abort();
      void pump;
    },
  };
}
