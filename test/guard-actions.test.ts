// Issue #4 end to end, per platform fake: a secret posted in public is removed (where the bot may), warned
// about once in the customer's language without repeating it, followed up privately, stored masked, and
// absent from every table and log line.
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as chinese } from '@scure/bip39/wordlists/simplified-chinese.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_FAKE_DEFAULTS, DiscordFake } from '../connectors/discord/fake-server.ts';
import { TelegramFake } from '../connectors/telegram/fake-server.ts';
import { eventually, startTestInbox, type TestInbox, telegramConnector } from './support/inbox.ts';

let inbox: TestInbox;
beforeAll(async () => {
  inbox = await startTestInbox();
});
afterAll(async () => {
  await inbox?.stop();
});

async function conversationWith(handle: string) {
  return eventually(async () => {
    const list = await inbox.api('/api/conversations?limit=200');
    return list.body.items.find((c: any) => c.contact.handle === handle);
  }, 10_000, `conversation with ${handle}`);
}
const messagesOf = async (id: string): Promise<any[]> => (await inbox.api(`/api/conversations/${id}/messages`)).body.items;
const actionsOn = async (conversationId: string) => {
  const first = (await messagesOf(conversationId)).find((m) => m.direction === 'inbound');
  return Object.fromEntries((first?.guardActions ?? []).map((a: any) => [a.kind, a.status]));
};
/** The secret's words, none of which may appear anywhere. */
const assertNowhere = async (phrase: string) => {
  const words = phrase.split(' ');
  const haystacks = [await inbox.dumpDatabase(), inbox.logs.join('')];
  for (const hay of haystacks) {
    expect(hay).not.toContain(phrase);
    expect(hay).not.toContain(words.slice(0, 4).join(' '));
  }
};

describe('guard on Telegram', () => {
  const BOT = { token: '5560001:GUARD_token_for_the_fake_00000000', id: 5560001, username: 'guard_test_bot' };
  const MODERATED = { id: -1005560000001, title: 'Moderated', type: 'supergroup' as const };
  const OPEN = { id: -1005560000002, title: 'Not moderated', type: 'supergroup' as const };
  let fake: TelegramFake;

  beforeAll(async () => {
    fake = new TelegramFake({ bots: [BOT], pollHoldMs: 100 });
    await fake.start();
    fake.setBotRights(BOT.token, MODERATED.id, { canDeleteMessages: true });
    fake.setBotRights(BOT.token, OPEN.id, { canDeleteMessages: false });
    await inbox.connect(telegramConnector(fake.apiRoot, BOT.token, 'TG guard'));
  });
  afterAll(async () => {
    await fake?.stop();
  });

  it('removes a public recovery phrase, DMs the customer, warns once in English, stores nothing of it', async () => {
    const user = { id: 660001, first_name: 'Olivia', username: 'olivia_t', language_code: 'en' };
    fake.userSendsPrivate(BOT.token, user, 'hi, question later'); // she has a private chat with the bot
    const phrase = generateMnemonic(english);
    const leak = fake.userSendsInGroup(BOT.token, MODERATED, user, `@${BOT.username} wallet broken, my recovery phrase is ${phrase}`);
    const conversation = await conversationWith('olivia_t').then(async () => {
      const list = await inbox.api('/api/conversations?visibility=public&limit=200');
      return list.body.items.find((c: any) => c.contact.handle === 'olivia_t');
    });
    expect(conversation.flagged).toBe(true);
    await eventually(async () => (await actionsOn(conversation.id)).warn === 'done', 15_000, 'warned');
    expect(await actionsOn(conversation.id)).toEqual({ remove: 'done', dm: 'done', warn: 'done' });

    expect(fake.isDeleted(MODERATED.id, leak.message_id, BOT.token)).toBe(true);
    const warnings = fake.sentMessages(BOT.token).filter((m) => m.chat.id === MODERATED.id);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text).toMatch(/recovery phrase/i);
    const dm = fake.sentMessages(BOT.token).filter((m) => m.chat.id === user.id);
    expect(dm).toHaveLength(1);
    expect(dm[0]!.text).toMatch(/new wallet/i);
    for (const m of [...warnings, ...dm]) for (const word of phrase.split(' ').slice(0, 3)) expect(m.text).not.toMatch(new RegExp(`\\b${word} ${phrase.split(' ')[1]}\\b`));

    const [stored] = await messagesOf(conversation.id);
    expect(stored.findings.map((f: any) => f.type)).toContain('seed_phrase');
    expect(stored.text).toContain('@guard_test_bot wallet broken');
    await assertNowhere(phrase);

    const audit = await inbox.api('/api/audit?action=guard', { token: inbox.adminToken });
    expect(audit.body.items.map((e: any) => e.action)).toEqual(expect.arrayContaining(['guard.remove', 'guard.dm', 'guard.warn']));
  
    // The leak is urgent and its preview is her own (masked) words, not the bot's warning.
    const leakView = (await inbox.api(`/api/conversations/${conversation.id}`)).body;
    expect(leakView.priority).toBe('urgent');
    expect(leakView.preview).toContain('wallet broken, my recovery phrase is [seed_phrase removed]');
    const thread = await messagesOf(conversation.id);
    expect(thread.find((m) => m.kind === 'guard_warning')).toMatchObject({ direction: 'outbound', author: { kind: 'guard' } });

    // The private advice sits in her existing DM conversation, authored by the guard, word for word as sent.
    const dmConversation = (await inbox.api('/api/conversations?visibility=private&limit=200')).body.items.find((c: any) => c.contact.handle === 'olivia_t');
    const advice = await eventually(async () => (await messagesOf(dmConversation.id)).find((m) => m.kind === 'guard_advice'), 10_000, 'advice filed');
    expect(advice).toMatchObject({ direction: 'outbound', author: { kind: 'guard', name: 'Guard' }, text: dm[0]!.text, delivery: { status: 'sent' } });
    // Still her words as the preview of the DM conversation, not the advice.
    expect((await inbox.api(`/api/conversations/${dmConversation.id}`)).body.preview).toBe('hi, question later');
  });

  it('answers in Chinese, invites a DM when one is impossible, and leaves the post when it may not delete', async () => {
    const user = { id: 660002, first_name: '小王', username: 'xiaowang_t', language_code: 'zh-hans' };
    const phrase = generateMnemonic(chinese);
    const leak = fake.userSendsInGroup(BOT.token, OPEN, user, `@${BOT.username} 钱包打不开了，助记词：${phrase}`);
    const list = await eventually(async () => (await inbox.api('/api/conversations?limit=200')).body.items.find((c: any) => c.contact.handle === 'xiaowang_t'), 10_000, 'conversation');
    await eventually(async () => (await actionsOn(list.id)).warn === 'done', 15_000, 'warned');
    expect(await actionsOn(list.id)).toEqual({ remove: 'not_allowed', dm: 'not_allowed', warn: 'done' });
    expect(fake.isDeleted(OPEN.id, leak.message_id, BOT.token)).toBe(false);
    const [warning] = fake.sentMessages(BOT.token).filter((m) => m.chat.id === OPEN.id);
    expect(warning!.text).toMatch(/助记词/);
    expect(warning!.text).toMatch(/私信/);
    expect(warning!.text).not.toMatch(/已将其删除|已删除/); // it was not removed: the warning must not say so
    await assertNowhere(phrase);
  });

  it('warns a customer at most once per conversation in ten minutes', async () => {
    const user = { id: 660003, first_name: 'Pete', username: 'pete_t', language_code: 'en' };
    fake.userSendsInGroup(BOT.token, MODERATED, user, `@${BOT.username} card 4111 1111 1111 1111 declined`);
    const conversation = await eventually(async () => (await inbox.api('/api/conversations?limit=200')).body.items.find((c: any) => c.contact.handle === 'pete_t'), 10_000, 'conversation');
    await eventually(async () => (await actionsOn(conversation.id)).warn === 'done', 15_000, 'first warning');
    fake.userSendsInGroup(BOT.token, MODERATED, user, `@${BOT.username} also tried 5500 0000 0000 0004`);
    await eventually(async () => {
      const inbound = (await messagesOf(conversation.id)).filter((m) => m.direction === 'inbound');
      return inbound.length === 2 && inbound[1].guardActions.some((a: any) => a.kind === 'warn' && a.status === 'skipped');
    }, 15_000, 'second warning skipped');
    const warnings = fake.sentMessages(BOT.token).filter((m) => m.chat.id === MODERATED.id && m.reply_to_message?.from?.id === user.id);
    expect(fake.sentMessages(BOT.token).filter((m) => m.chat.id === MODERATED.id && /card/i.test(m.text ?? ''))).toHaveLength(1);
    expect(warnings.length).toBeLessThanOrEqual(1);
  });

  it('a recovery phrase minutes after a milder leak still gets its own warning and advice', async () => {
    const user = { id: 660004, first_name: 'Rosa', username: 'rosa_t', language_code: 'en' };
    fake.userSendsPrivate(BOT.token, user, 'hello'); // she has a private chat with the bot
    fake.userSendsInGroup(BOT.token, MODERATED, user, `@${BOT.username} card 4111 1111 1111 1111 got declined`);
    const conversation = await eventually(
      async () => (await inbox.api('/api/conversations?visibility=public&limit=200')).body.items.find((c: any) => c.contact.handle === 'rosa_t'),
      10_000,
      'conversation',
    );
    await eventually(async () => (await actionsOn(conversation.id)).warn === 'done', 15_000, 'card warning');
    fake.userSendsInGroup(BOT.token, MODERATED, user, `@${BOT.username} oh and my seed phrase is ${generateMnemonic(english)}`);
    const phraseActions = async () => {
      const inbound = (await messagesOf(conversation.id)).filter((m) => m.direction === 'inbound');
      return Object.fromEntries((inbound[1]?.guardActions ?? []).map((a: any) => [a.kind, a.status]));
    };
    await eventually(async () => (await phraseActions()).warn === 'done', 15_000, 'phrase warning');
    expect(await phraseActions()).toEqual({ remove: 'done', dm: 'done', warn: 'done' });
    const dms = fake.sentMessages(BOT.token).filter((m) => m.chat.id === user.id).map((m) => m.text ?? '');
    expect(dms).toHaveLength(2); // card advice, then the wallet advice
    expect(dms[1]).toMatch(/new wallet/i);
    const warnings = fake.sentMessages(BOT.token).filter((m) => m.chat.id === MODERATED.id && (m.text ?? '').startsWith('@rosa_t'));
    expect(warnings.map((m) => m.text ?? '')).toEqual([expect.stringMatching(/card/i), expect.stringMatching(/recovery phrase/i)]);
  });

  it('advice that could not be sent is not held against the next leak: once the customer can be written to, it goes out', async () => {
    const user = { id: 660006, first_name: 'Tomas', username: 'tomas_t', language_code: 'en' }; // never wrote to the bot
    fake.userSendsInGroup(BOT.token, MODERATED, user, `@${BOT.username} card 4111 1111 1111 1111 declined`);
    const conversation = await conversationWith('tomas_t');
    const actionsOf = async (n: number) => {
      const inbound = (await messagesOf(conversation.id)).filter((m) => m.direction === 'inbound');
      return Object.fromEntries((inbound[n]?.guardActions ?? []).map((a: any) => [a.kind, a.status]));
    };
    await eventually(async () => (await actionsOf(0)).warn === 'done', 15_000, 'first warning');
    expect((await actionsOf(0)).dm).toBe('not_allowed');
    fake.userSendsPrivate(BOT.token, user, 'hi, I started the bot'); // now the bot may write to him
    fake.userSendsInGroup(BOT.token, MODERATED, user, `@${BOT.username} the other one is 5500 0000 0000 0004`);
    await eventually(async () => ['done', 'skipped'].includes((await actionsOf(1)).warn), 15_000, 'second card decided');
    expect(await actionsOf(1)).toMatchObject({ dm: 'done', warn: 'skipped' }); // one public warning per incident
    expect(fake.sentMessages(BOT.token).filter((m) => m.chat.id === user.id)).toHaveLength(1);
  });

  it('a split phrase from a customer the bot cannot write to: the one warning asks for a DM, never claims one', async () => {
    const user = { id: 660005, first_name: 'Sven', username: 'sven_t', language_code: 'en' }; // never wrote to the bot
    const words = generateMnemonic(english).split(' ');
    fake.userSendsInGroup(BOT.token, MODERATED, user, `@${BOT.username} my recovery phrase is ${words.slice(0, 6).join(' ')}`);
    fake.userSendsInGroup(BOT.token, MODERATED, user, `@${BOT.username} ${words.slice(6).join(' ')}`);
    const conversation = await conversationWith('sven_t');
    const decided = await eventually(async () => {
      const inbound = (await messagesOf(conversation.id)).filter((m) => m.direction === 'inbound');
      const actions = inbound.flatMap((m) => m.guardActions ?? []);
      const final = (kind: string) => actions.filter((a: any) => a.kind === kind && a.status !== 'pending');
      return final('warn').length === 2 && final('dm').length === 2 ? actions : undefined;
    }, 20_000, 'both parts decided');
    const dms = decided.filter((a: any) => a.kind === 'dm').map((a: any) => a.status);
    expect(dms).toContain('not_allowed');
    expect(dms).not.toContain('done');
    const warnings = fake.sentMessages(BOT.token).filter((m) => m.chat.id === MODERATED.id && (m.text ?? '').startsWith('@sven_t'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text).toContain('Please send us a direct message');
    expect(warnings[0]!.text).not.toContain('We have sent you a direct message');
  });
});

describe('guard on Discord', () => {
  let fake: DiscordFake;
  const SUPPORT = DISCORD_FAKE_DEFAULTS.guild.channels[0].id;

  beforeAll(async () => {
    fake = new DiscordFake({ heartbeatIntervalMs: 1000 });
    await fake.start();
    await inbox.connect({ platform: 'discord', name: 'Discord guard', credentials: { botToken: DISCORD_FAKE_DEFAULTS.token }, settings: { apiBase: fake.apiBase, supportChannelIds: [SUPPORT] } });
  });
  afterAll(async () => {
    await fake?.stop();
  });

  it('deletes a recovery phrase posted in the support channel, warns once and DMs the customer', async () => {
    const author = { id: '1400000000000000901', username: 'rosa_d' };
    const phrase = generateMnemonic(english);
    const leak = fake.userPosts(SUPPORT, author, `help, my seed phrase: ${phrase}`);
    const conversation = await conversationWith('rosa_d');
    expect(conversation).toMatchObject({ platform: 'discord', visibility: 'public', flagged: true });
    await eventually(async () => (await actionsOn(conversation.id)).warn === 'done', 15_000, 'warned');
    expect(await actionsOn(conversation.id)).toEqual({ remove: 'done', dm: 'done', warn: 'done' });
    expect(fake.channelMessages(SUPPORT).some((m) => m.id === leak.id)).toBe(false);
    const channelWarnings = fake.botMessages().filter((m) => m.channel_id === SUPPORT);
    expect(channelWarnings).toHaveLength(1);
    expect(channelWarnings[0]!.content).toMatch(/recovery phrase/i);
    expect(fake.botMessages().filter((m) => m.channel_id === fake.dmChannelId(author.id))).toHaveLength(1);
    await assertNowhere(phrase);
  });

  it('a phrase whose first half was removed on its own is still caught when the rest follows', async () => {
    const author = { id: '1400000000000000903', username: 'dan_d' };
    const words = generateMnemonic(english, 256).split(' ');
    const first = fake.userPosts(SUPPORT, author, `first half of my words: ${words.slice(0, 12).join(' ')}`);
    const conversation = await conversationWith('dan_d');
    // The bot removes the framed half at once; Discord tells the inbox it was deleted.
    await eventually(async () => (await messagesOf(conversation.id)).find((m) => m.direction === 'inbound')?.deletedAt, 15_000, 'first half deleted');
    const second = fake.userPosts(SUPPORT, author, `and the rest: ${words.slice(12).join(' ')}`);
    await eventually(() => !fake.channelMessages(SUPPORT).some((m) => m.id === second.id), 15_000, 'second half removed');
    const inbound = (await messagesOf(conversation.id)).filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => m.text)).toEqual(['first half of my words: [seed_phrase removed]', 'and the rest: [seed_phrase removed]']);
    expect(fake.channelMessages(SUPPORT).some((m) => m.id === first.id)).toBe(false);
    await assertNowhere(words.slice(12).join(' '));
  });

  it('leaves the message and records not_allowed when the bot lacks Manage Messages', async () => {
    fake.setBotCanManageMessages(DISCORD_FAKE_DEFAULTS.guild.id, false);
    const author = { id: '1400000000000000902', username: 'sam_d' };
    const leak = fake.userPosts(SUPPORT, author, `my password is Tr0ub4dor&3xyz please reset`);
    const conversation = await conversationWith('sam_d');
    await eventually(async () => (await actionsOn(conversation.id)).warn === 'done', 15_000, 'warned');
    expect((await actionsOn(conversation.id)).remove).toBe('not_allowed');
    expect(fake.channelMessages(SUPPORT).some((m) => m.id === leak.id)).toBe(true);
    const [stored] = await messagesOf(conversation.id);
    expect(stored.text).not.toContain('Tr0ub4dor&3xyz');
    expect(await inbox.dumpDatabase()).not.toContain('Tr0ub4dor&3xyz');
  });
});
