// X payloads → InboundMessages. Pure: no I/O. Three shapes reach it (platforms.md A and A2):
// - v2 Posts (TweetV2) from the mentions timeline, and as the `payload` of XAA `post.mention.create` /
//   `post.reply.create` events;
// - v2 DM events (DMEventV2) from GET /2/dm_events;
// - XAA `dm.received` / `dm.sent` events, whose DM is in the legacy v1.1 shape (DirectMessageCreateV1) with a
//   `users` map of v2 users wrapped in `{data: …}`.
//
// Conversations: a customer's posts in one X conversation (`conversation_id`) are one public conversation,
// per customer (`<conversation_id>:<author_id>`); DMs are one private conversation per DM pair
// (`dm:<lowId>-<highId>`). The stable message key of a post is `edit_history_tweet_ids[0]`: every edit is a new
// post id, so an edited post yields kind `edited` under its first id. The bot's own posts are never customer
// messages; the bot's own DMs (an agent answering in the X app, or the echo of a DM the inbox sent: `dm.sent`
// and the DM list) come back as `own`, direction `outbound` with the customer as recipient: the core files them
// as sent replies and keeps one message per DM id.
import type { ApiV2Includes, DirectMessageCreateV1, TweetV2, TwitterApiv2, UserV2 } from 'twitter-api-v2';
import { z } from 'zod';
import type { InboundMessage, PlatformUserRef } from '../../src/domain/types.ts';

/** twitter-api-v2's DM event type (DMEventV2), which its package root does not export. */
export type DMEventV2 = Awaited<ReturnType<TwitterApiv2['listDmEvents']>>['events'][number];

export interface XNormalizeContext {
  connectorId: string;
  /** The connected account (users/me id): its posts and DMs are never customer messages. */
  botUserId: string;
}

/** A normalized X item: a customer's message, or one the account itself sent (a DM sent from the X app). */
export type XNormalized = { from: 'customer'; message: InboundMessage } | { from: 'own'; message: InboundMessage };

/** Language tags X uses for "no language": not a hint worth passing on. */
const NO_LANGUAGE = new Set(['und', 'qme', 'qht', 'qam', 'qct', 'qst', 'zxx', 'art']);

/** Users by id, from `includes.users` (bare v2 users) or XAA's `{data: user}` wrappers. */
export function usersById(users: ReadonlyArray<UserV2 | { data: UserV2 }> | Record<string, UserV2 | { data: UserV2 }> | undefined): Map<string, UserV2> {
  const list = Array.isArray(users) ? users : Object.values(users ?? {});
  const map = new Map<string, UserV2>();
  for (const u of list) {
    const user = 'data' in u && u.data ? u.data : (u as UserV2);
    if (user?.id) map.set(user.id, user);
  }
  return map;
}

const userRef = (id: string, users: Map<string, UserV2>, languageHint?: string): PlatformUserRef => {
  const u = users.get(id);
  return { id, ...(u ? { handle: u.username, displayName: u.name || u.username } : {}), ...(languageHint ? { languageHint } : {}) };
};

/** The whole text of a post: long posts carry it in `note_tweet`; media are named so they are not silently lost. */
function postText(post: TweetV2): string {
  let text = post.note_tweet?.text ?? post.text;
  // X puts the thread's handles in front of a reply ("@WalletSupport @alice …") and apps hide them
  // (display_text_range); so does the inbox.
  if (post.referenced_tweets?.some((r) => r.type === 'replied_to')) text = text.replace(/^(?:@\w{1,15}\s+)+/, '') || text;
  const media = post.attachments?.media_keys?.length ?? 0;
  return media ? `${text}\n[${media === 1 ? 'attachment' : `${media} attachments`}]` : text;
}

/** When an X id (a snowflake: ms since X's epoch, shifted left 22 bits) was made, to the second, in epoch ms. */
export function snowflakeSecond(id: string): number {
  const ms = Number((BigInt(id) >> 22n) + 1288834974657n);
  return Math.floor(ms / 1000) * 1000;
}

/** The public thread of a post: one per X conversation and customer. */
export const xPublicThreadId = (conversationId: string, authorId: string) => `${conversationId}:${authorId}`;
/** The private thread of a DM pair, named by X's own 1:1 conversation id `<lowId>-<highId>`. */
export const xDmThreadId = (a: string, b: string) => `dm:${dmConversationId(a, b)}`;

export function dmConversationId(a: string, b: string): string {
  const [low, high] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  return `${low}-${high}`;
}

/**
 * A customer's post (a mention, or a reply in a conversation the bot is in) as a public message, or null for the
 * bot's own posts and posts without an author. An edited post (history longer than one) is kind `edited`, keyed
 * by its first id.
 */
export function normalizeXPost(post: TweetV2, includes: Pick<ApiV2Includes, 'users'> | undefined, ctx: XNormalizeContext): InboundMessage | null {
  if (!post.author_id || post.author_id === ctx.botUserId) return null;
  const history = post.edit_history_tweet_ids?.length ? post.edit_history_tweet_ids : [post.id];
  const edited = history.length > 1;
  const versionAt = post.created_at ? new Date(post.created_at) : new Date(snowflakeSecond(post.id));
  // An edit's created_at is the edit's; the message was written when its first id was made (X ids carry their
  // time, and created_at is that time to the second).
  const createdAt = edited ? new Date(snowflakeSecond(history[0]!)) : versionAt;
  const conversationId = post.conversation_id ?? post.id;
  const replyTo = post.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
  const lang = post.lang && !NO_LANGUAGE.has(post.lang) ? post.lang : undefined;
  return {
    platform: 'x',
    connectorId: ctx.connectorId,
    externalId: history[0]!,
    externalThreadId: xPublicThreadId(conversationId, post.author_id),
    channelId: conversationId,
    visibility: 'public',
    author: userRef(post.author_id, usersById(includes?.users), lang),
    text: postText(post),
    createdAt,
    ...(replyTo ? { replyTo } : {}),
    ...(edited ? { kind: 'edited' as const, editedAt: versionAt } : {}),
    raw: post,
  };
}

/** A DM in the thread of its pair. `from` says whether the customer or the account wrote it. */
function dmMessage(
  ctx: XNormalizeContext,
  d: { id: string; senderId: string; recipientId: string; text: string; createdAt: Date; users: Map<string, UserV2>; raw: unknown },
): XNormalized {
  const own = d.senderId === ctx.botUserId;
  const customerId = own ? d.recipientId : d.senderId;
  const message: InboundMessage = {
    platform: 'x',
    connectorId: ctx.connectorId,
    externalId: d.id,
    externalThreadId: xDmThreadId(ctx.botUserId, customerId),
    // Where a reply goes: POST /2/dm_conversations/with/:participant_id/messages.
    channelId: customerId,
    visibility: 'private',
    author: userRef(d.senderId, d.users),
    text: d.text,
    createdAt: d.createdAt,
    ...(own ? { direction: 'outbound' as const, recipient: userRef(customerId, d.users) } : {}),
    raw: d.raw,
  };
  return own ? { from: 'own', message } : { from: 'customer', message };
}

/** A v2 DM event (GET /2/dm_events). Only 1:1 MessageCreate events count; group DMs and joins are skipped. */
export function normalizeXDmEvent(event: DMEventV2, includes: Pick<ApiV2Includes, 'users'> | undefined, ctx: XNormalizeContext): XNormalized | null {
  if (event.event_type !== 'MessageCreate' || !event.sender_id) return null;
  const participants = event.dm_conversation_id?.split('-') ?? event.participant_ids ?? [];
  if (participants.length !== 2 || !participants.includes(ctx.botUserId)) return null;
  const other = participants.find((p: string) => p !== ctx.botUserId) ?? ctx.botUserId;
  const recipientId = event.sender_id === ctx.botUserId ? other : ctx.botUserId;
  const attachments = event.attachments?.media_keys?.length ? '\n[attachment]' : '';
  return dmMessage(ctx, {
    id: event.id,
    senderId: event.sender_id,
    recipientId,
    text: `${event.text}${attachments}`,
    createdAt: event.created_at ? new Date(event.created_at) : new Date(),
    users: usersById(includes?.users),
    raw: event,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// X Activity API envelopes (stream lines and webhook bodies)

/** The common XAA envelope (platforms.md A2, "Common envelope"); unknown fields pass through. */
export const XActivityEnvelopeSchema = z
  .object({
    data: z
      .object({
        event_uuid: z.union([z.string(), z.number()]).transform(String),
        filter: z.object({ user_id: z.string() }).loose().optional(),
        event_type: z.string(),
        tag: z.string().optional(),
        payload: z.unknown(),
        includes: z.unknown().optional(),
      })
      .loose(),
  })
  .loose();
export type XActivityEnvelope = z.infer<typeof XActivityEnvelopeSchema>;

const PostPayload = z.object({ id: z.string(), text: z.string(), author_id: z.string() }).loose();
const Includes = z.object({ users: z.union([z.array(z.any()), z.record(z.string(), z.any())]).optional() }).loose().optional();
const DmPayload = z
  .object({
    direct_message_events: z.array(
      z
        .object({
          type: z.string(),
          id: z.string(),
          created_timestamp: z.string(),
          message_create: z.object({ target: z.object({ recipient_id: z.string() }).loose(), sender_id: z.string(), message_data: z.object({ text: z.string() }).loose() }).loose(),
        })
        .loose(),
    ),
    users: z.record(z.string(), z.any()).optional(),
  })
  .loose();

/** XAA event types the inbox reads; the connector subscribes to exactly these. */
export const X_ACTIVITY_EVENT_TYPES = ['post.mention.create', 'post.reply.create', 'dm.received', 'dm.sent'] as const;

/**
 * One XAA envelope → what it carries for the inbox: the post of a mention or reply, or each DM of a DM event.
 * Events for another account (`filter.user_id`), other event types and malformed payloads yield nothing.
 */
export function normalizeXActivity(envelope: XActivityEnvelope, ctx: XNormalizeContext): XNormalized[] {
  const { event_type: type, payload, includes, filter } = envelope.data;
  if (filter?.user_id && filter.user_id !== ctx.botUserId) return [];
  if (type === 'post.mention.create' || type === 'post.reply.create') {
    const post = PostPayload.safeParse(payload);
    const inc = Includes.safeParse(includes);
    if (!post.success) return [];
    const message = normalizeXPost(post.data as unknown as TweetV2, inc.success ? (inc.data as ApiV2Includes | undefined) : undefined, ctx);
    return message ? [{ from: 'customer', message }] : [];
  }
  if (type === 'dm.received' || type === 'dm.sent') {
    const dm = DmPayload.safeParse(payload);
    if (!dm.success) return [];
    const users = usersById(dm.data.users as Record<string, UserV2 | { data: UserV2 }> | undefined);
    return dm.data.direct_message_events
      .filter((e) => e.type === 'message_create')
      .map((e) => {
        const event = e as unknown as DirectMessageCreateV1;
        const created = Number(event.created_timestamp);
        return dmMessage(ctx, {
          id: event.id,
          senderId: event.message_create.sender_id,
          recipientId: event.message_create.target.recipient_id,
          text: event.message_create.message_data.text,
          createdAt: Number.isFinite(created) ? new Date(created) : new Date(),
          users,
          raw: event,
        });
      })
      .filter((n) => n.message.author.id === ctx.botUserId || n.message.channelId !== ctx.botUserId);
  }
  return [];
}
