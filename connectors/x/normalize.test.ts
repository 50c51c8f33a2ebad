import { readFileSync } from 'node:fs';
import type { TweetV2 } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { XActivityEnvelopeSchema, normalizeXActivity, normalizeXDmEvent, normalizeXPost, type DMEventV2 } from './normalize.ts';

const BOT = '1111111111111111111';
const WANG = '2222222222222222222';
const ALICE = '3333333333333333333';
const ctx = { connectorId: 'x1', botUserId: BOT };
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const activity = (name: string) => XActivityEnvelopeSchema.parse(fixture(name));

describe('normalizeXPost (mentions timeline)', () => {
  const page = fixture('mentions-page.json') as { data: TweetV2[]; includes: { users: [] } };

  it('a mention is a public conversation per X conversation and customer', () => {
    const post = page.data[0]!;
    expect(normalizeXPost(post, page.includes, ctx)).toEqual({
      platform: 'x',
      connectorId: 'x1',
      externalId: post.id,
      externalThreadId: `${post.conversation_id}:${WANG}`,
      channelId: post.conversation_id,
      visibility: 'public',
      author: { id: WANG, handle: 'wanglei_88', displayName: '王磊', languageHint: 'zh' },
      text: post.text,
      createdAt: new Date('2026-07-24T21:25:00.000Z'),
      raw: post,
    });
  });

  it('a reply keeps its conversation (the root post), names the post it replies to, and drops the handles X puts in front', () => {
    const reply = normalizeXPost(page.data[1]!, page.includes, ctx)!;
    expect(reply).toMatchObject({ externalThreadId: `2080765813578191200:${ALICE}`, channelId: '2080765813578191200', replyTo: '2080765813578191200', author: { handle: 'alice_w', languageHint: 'en' } });
    // X's reply prefix ("@WalletSupport ") is hidden by apps, and by the inbox.
    expect(reply.text).toBe('same here, deposit pending');
  });

  it('an edited post is kind edited under the first id of its history; media are named', () => {
    const edited = normalizeXPost(page.data[2]!, page.includes, ctx)!;
    // Written when its first id was made (X ids carry their time); edited at the new version's created_at.
    expect(edited).toMatchObject({ externalId: '2080760000000000000', kind: 'edited', createdAt: new Date('2026-07-24T21:00:17.000Z'), editedAt: new Date('2026-07-24T21:23:23.000Z') });
    expect(edited.text).toBe('hey @WalletSupport my card top-up failed, see photo\n[attachment]');
    expect(edited.author.languageHint).toBeUndefined(); // "und" is no hint
  });

  it('never turns the account’s own posts into customer messages', () => {
    expect(normalizeXPost({ ...page.data[0]!, author_id: BOT }, page.includes, ctx)).toBeNull();
  });

  it('reads the whole text of a long post from note_tweet', () => {
    const long = { ...page.data[0]!, text: 'short…', note_tweet: { text: 'the whole long story' } } as TweetV2;
    expect(normalizeXPost(long, page.includes, ctx)!.text).toBe('the whole long story');
  });
});

describe('normalizeXDmEvent (GET /2/dm_events)', () => {
  const page = fixture('dm-events-page.json') as { data: DMEventV2[]; includes: { users: [] } };

  it('a customer DM is a private conversation per DM pair, answered to the customer', () => {
    expect(normalizeXDmEvent(page.data[1]!, page.includes, ctx)).toEqual({
      from: 'customer',
      message: {
        platform: 'x',
        connectorId: 'x1',
        externalId: '2080765901528535096',
        externalThreadId: `dm:${BOT}-${WANG}`,
        channelId: WANG,
        visibility: 'private',
        author: { id: WANG, handle: 'wanglei_88', displayName: '王磊' },
        text: 'hello! my account is locked',
        createdAt: new Date('2026-07-24T21:28:00.000Z'),
        raw: page.data[1],
      },
    });
  });

  it('the account’s own DM is `own`, in the same thread; joins are skipped', () => {
    const own = normalizeXDmEvent(page.data[0]!, page.includes, ctx)!;
    expect(own.from).toBe('own');
    expect(own.message).toMatchObject({ externalThreadId: `dm:${BOT}-${WANG}`, channelId: WANG, author: { id: BOT }, direction: 'outbound', recipient: { id: WANG } });
    expect(normalizeXDmEvent(page.data[2]!, page.includes, ctx)).toBeNull();
  });
});

describe('normalizeXActivity (XAA stream lines and webhook bodies)', () => {
  it('dm.received: the v1.1 DM inside the v2 envelope, users unwrapped from {data}', () => {
    const [item] = normalizeXActivity(activity('xaa-dm-received.json'), ctx);
    expect(item).toMatchObject({
      from: 'customer',
      message: { externalId: '2080765901528535096', externalThreadId: `dm:${BOT}-${WANG}`, channelId: WANG, visibility: 'private', text: 'hello!', author: { id: WANG, handle: 'OtherUser' }, createdAt: new Date(1784928224372) },
    });
  });

  it('dm.sent: the same thread as the customer’s DMs, outbound to the customer', () => {
    const [item] = normalizeXActivity(activity('xaa-dm-sent.json'), ctx);
    expect(item).toMatchObject({
      from: 'own',
      message: { externalId: '2080765901528535120', externalThreadId: `dm:${BOT}-${WANG}`, channelId: WANG, author: { id: BOT }, direction: 'outbound', recipient: { id: WANG, handle: 'OtherUser' } },
    });
  });

  it('post.mention.create and post.reply.create: v2 posts, the same shape as the timeline gives', () => {
    const [mention] = normalizeXActivity(activity('xaa-mention.json'), ctx);
    expect(mention).toMatchObject({ from: 'customer', message: { externalId: '2080765813578191303', visibility: 'public', externalThreadId: `2080765813578191303:${WANG}`, author: { handle: 'OtherUser' } } });
    const [reply] = normalizeXActivity(activity('xaa-reply.json'), ctx);
    expect(reply).toMatchObject({ message: { externalThreadId: `2080765813578190000:${ALICE}`, replyTo: '2080765813578190000', author: { id: ALICE } } });
    expect(reply!.message.author.handle).toBeUndefined(); // its includes were {}
  });

  it('ignores events for another account, unknown types and broken payloads', () => {
    const other = activity('xaa-mention.json');
    other.data.filter = { user_id: '999' };
    expect(normalizeXActivity(other, ctx)).toEqual([]);
    const unknown = activity('xaa-mention.json');
    unknown.data.event_type = 'profile.update.bio';
    expect(normalizeXActivity(unknown, ctx)).toEqual([]);
    const broken = activity('xaa-dm-received.json');
    broken.data.payload = { direct_message_events: 'nope' };
    expect(normalizeXActivity(broken, ctx)).toEqual([]);
  });
});
