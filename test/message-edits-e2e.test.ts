// Issue 7 part 3 and issue 9 item 7, end to end per platform fake: a public message edited to add a recovery
// phrase is masked, removed and warned about once, however often the edit is delivered; a deletion on the
// platform shows as deleted; and text a customer put outside the message body (a Discord forward, a Telegram
// caption or poll) is masked and acted on like any other, on the message that carries it.
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
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

const conversationWith = (handle: string) =>
  eventually(async () => (await inbox.api('/api/conversations?limit=200')).body.items.find((c: any) => c.contact.handle === handle), 10_000, `conversation with ${handle}`);
const messagesOf = async (id: string): Promise<any[]> => (await inbox.api(`/api/conversations/${id}/messages`)).body.items;
const inboundOf = async (id: string) => (await messagesOf(id)).filter((m) => m.direction === 'inbound');
const statusOf = (message: any) => Object.fromEntries((message.guardActions ?? []).map((a: any) => [a.kind, a.status]));
/** None of the phrase's word pairs is stored anywhere or logged. */
const assertNowhere = async (phrase: string) => {
  const words = phrase.split(' ');
  for (const hay of [await inbox.dumpDatabase(), inbox.logs.join('')]) {
    expect(hay).not.toContain(words.slice(0, 3).join(' '));
    expect(hay).not.toContain(words.slice(-3).join(' '));
  }
};
const settle = () => new Promise((r) => setTimeout(r, 1500));

describe('edits and customer text outside the body on Telegram', () => {
  const BOT = { token: '5570001:EDITS_token_for_the_fake_000000000', id: 5570001, username: 'edits_test_bot' };
  const GROUP = { id: -1005570000001, title: 'Edits', type: 'supergroup' as const };
  let fake: TelegramFake;

  beforeAll(async () => {
    fake = new TelegramFake({ bots: [BOT], pollHoldMs: 100 });
    await fake.start();
    fake.setBotRights(BOT.token, GROUP.id, { canDeleteMessages: true });
    await inbox.connect(telegramConnector(fake.apiRoot, BOT.token, 'TG edits'));
  });
  afterAll(async () => {
    await fake?.stop();
  });

  it('masks, removes and warns once about a recovery phrase added by an edit, whatever the redeliveries', async () => {
    const user = { id: 670001, first_name: 'Edith', username: 'edith_t', language_code: 'en' };
    const posted = fake.userSendsInGroup(BOT.token, GROUP, user, `@${BOT.username} my wallet will not open`);
    const conversation = await conversationWith('edith_t');
    const [before] = await inboundOf(conversation.id);
    expect(before).toMatchObject({ text: `@${BOT.username} my wallet will not open`, editedAt: null, findings: [] });

    const phrase = generateMnemonic(english);
    const edited = fake.userEdits(BOT.token, GROUP.id, posted.message_id, `@${BOT.username} my wallet will not open, recovery phrase: ${phrase}`);
    fake.pushUpdate(BOT.token, { edited_message: edited }); // Telegram delivers it again
    const after = await eventually(async () => (await inboundOf(conversation.id)).find((m) => m.editedAt && statusOf(m).warn === 'done'), 15_000, 'the edit acted on');
    expect(after.id).toBe(before.id);
    expect(after.text).toContain('my wallet will not open, recovery phrase: [seed_phrase removed]');
    expect(after.findings.map((f: any) => f.type)).toEqual(['seed_phrase']);
    expect(statusOf(after)).toEqual({ remove: 'done', dm: expect.any(String), warn: 'done' });
    expect(fake.isDeleted(GROUP.id, posted.message_id, BOT.token)).toBe(true);

    fake.pushUpdate(BOT.token, { edited_message: edited }); // and again, after the actions
    await settle();
    expect(fake.sentMessages(BOT.token).filter((m) => m.chat.id === GROUP.id && /recovery phrase/i.test(m.text ?? ''))).toHaveLength(1);
    expect((await inboundOf(conversation.id)).length).toBe(1);
    await assertNowhere(phrase);
  });

  it('guards captions and polls like message text', async () => {
    const user = { id: 670002, first_name: 'Cap', username: 'cap_t', language_code: 'en' };
    const phrase = generateMnemonic(english);
    const photo = fake.userSendsInGroup(BOT.token, GROUP, user, `@${BOT.username} is my backup right? seed: ${phrase}`, { content: { photo: true } });
    const conversation = await conversationWith('cap_t');
    const leak = await eventually(async () => (await inboundOf(conversation.id)).find((m) => statusOf(m).warn === 'done'), 15_000, 'the caption acted on');
    expect(leak.text).toContain('is my backup right? seed: [seed_phrase removed]');
    expect(fake.isDeleted(GROUP.id, photo.message_id, BOT.token)).toBe(true);
    await assertNowhere(phrase);

    fake.userSendsPrivate(BOT.token, user, '', { content: { poll: { question: 'Which network did I use?', options: ['TRC-20', 'ERC-20'] } } });
    const dm = await eventually(async () => (await inbox.api('/api/conversations?visibility=private&limit=200')).body.items.find((c: any) => c.contact.handle === 'cap_t'), 10_000, 'the DM');
    const [poll] = await inboundOf(dm.id);
    expect(poll.text).toBe('[poll] Which network did I use?\n- TRC-20\n- ERC-20');
  });
});

describe('edits, deletions and forwards on Discord', () => {
  const SUPPORT = DISCORD_FAKE_DEFAULTS.guild.channels[0].id;
  let fake: DiscordFake;

  beforeAll(async () => {
    fake = new DiscordFake({ heartbeatIntervalMs: 1000 });
    await fake.start();
    await inbox.connect({ platform: 'discord', name: 'Discord edits', credentials: { botToken: DISCORD_FAKE_DEFAULTS.token }, settings: { apiBase: fake.apiBase, supportChannelIds: [SUPPORT] } });
  });
  afterAll(async () => {
    await fake?.stop();
  });

  it('masks, removes and warns once about a recovery phrase added by an edit, whatever the redeliveries', async () => {
    const author = { id: '1400000000000000951', username: 'edna_d' };
    const posted = fake.userPosts(SUPPORT, author, 'my swap is stuck since this morning');
    const conversation = await conversationWith('edna_d');
    const [before] = await inboundOf(conversation.id);
    expect(before.findings).toEqual([]);

    const phrase = generateMnemonic(english);
    fake.embedsResolved(SUPPORT, posted.id); // not an edit
    fake.userEdits(SUPPORT, posted.id, `my swap is stuck since this morning. my seed phrase: ${phrase}`);
    const after = await eventually(async () => (await inboundOf(conversation.id)).find((m) => m.editedAt && statusOf(m).warn === 'done'), 15_000, 'the edit acted on');
    expect(after.id).toBe(before.id);
    expect(after.text).toBe('my swap is stuck since this morning. my seed phrase: [seed_phrase removed]');
    expect(statusOf(after)).toEqual({ remove: 'done', dm: 'done', warn: 'done' });
    expect(fake.channelMessages(SUPPORT).some((m) => m.id === posted.id)).toBe(false);

    // The guard's own removal comes back as MESSAGE_DELETE: the message shows as deleted, its masked text kept.
    const deleted = await eventually(async () => (await inboundOf(conversation.id)).find((m) => m.deletedAt), 10_000, 'marked deleted');
    expect(deleted.text).toBe(after.text);

    fake.dropConnections(4000); // a resume replays, and history is read back
    await settle();
    expect(fake.botMessages().filter((m) => m.channel_id === SUPPORT && m.content.includes('@edna_d'))).toHaveLength(1);
    expect(fake.botMessages().filter((m) => m.channel_id === fake.dmChannelId(author.id))).toHaveLength(1);
    await assertNowhere(phrase);
  });

  it('shows a message its author deleted as deleted', async () => {
    const author = { id: '1400000000000000952', username: 'dora_d' };
    const posted = fake.userPosts(SUPPORT, author, 'never mind, found it');
    const conversation = await conversationWith('dora_d');
    fake.userDeletes(SUPPORT, posted.id);
    const [message] = await eventually(async () => {
      const items = await inboundOf(conversation.id);
      return items[0]?.deletedAt ? items : null;
    }, 10_000, 'marked deleted');
    expect(message).toMatchObject({ text: 'never mind, found it', delivery: { externalId: posted.id } });
  });

  it('guards a forwarded recovery phrase (empty content, text in message_snapshots) and removes the forward', async () => {
    const author = { id: '1400000000000000953', username: 'fred_d' };
    const phrase = generateMnemonic(english);
    const forward = fake.userForwards(SUPPORT, author, { content: `backup words: ${phrase}` });
    const conversation = await conversationWith('fred_d');
    const leak = await eventually(async () => (await inboundOf(conversation.id)).find((m) => statusOf(m).warn === 'done'), 15_000, 'the forward acted on');
    expect(leak.text).toBe('[forwarded message]\nbackup words: [seed_phrase removed]');
    expect(leak.delivery.externalId).toBe(forward.id);
    expect(fake.channelMessages(SUPPORT).some((m) => m.id === forward.id)).toBe(false);
    await assertNowhere(phrase);
  });
});
