// Fills a migrated database with a realistic inbox, fast, for benchmarks: `seedInbox(databaseUrl, options)`
// writes N conversations (a contact and identity each, a few Chinese or English messages, a spread of
// priorities, intents, flags, statuses and first-response timers) plus one long thread, in multi-row INSERTs of
// a few thousand rows (unnest arrays: one round trip per chunk). 10,000 conversations and a 2,000-message thread
// take about 8 s on this project's loaded 2-core machine, 100,000 conversations about 2 minutes (updating the
// search indexes is most of it).
//
// Used by `npm run bench:web` (the web app's render times) and `bench/search.ts` (search on 100,000
// conversations). Run alone: `tsx bench/web-seed.ts <databaseUrl> [--conversations 10000] [--thread 2000]`.
// Text is masked already (as the guard would have stored it): no secret is ever written, only placeholders.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';

export interface SeedOptions {
  /** Conversations to create (default 10,000). */
  conversations?: number;
  /** Messages in the one long thread (default 2,000); 0 for none. */
  threadMessages?: number;
  /** Messages per ordinary conversation (default 3). */
  messagesPerConversation?: number;
  /** Seed for the pseudo-random choices, so two runs build the same inbox (default 1). */
  seed?: number;
}

export interface SeedResult {
  connectorIds: { telegram: string; discord: string };
  /** The conversation with the long thread (newest, so it sorts near the top of its priority). */
  threadConversationId: string | null;
  conversations: number;
  messages: number;
  ms: number;
}

const CHUNK = 5000;

const EN = [
  'My top-up of 200 USDT has not been credited yet',
  'I forgot my password and the reset email never arrives',
  'Someone logged in from another country and my funds are gone',
  'How do I turn on two-factor authentication?',
  'The app says my payment failed but the bank charged me',
  'Is this the official support account?',
  'my card is [payment_card removed] and it was declined',
  'thanks, that worked',
  'Withdrawal pending for two days, transaction id 7731-ab',
  'Can I change the email on my account?',
];
const ZH = [
  '充值两个小时了还没到账',
  '忘记密码了，收不到验证码',
  '我的账户被盗了，币都被转走了',
  '怎么开启双重验证？',
  '支付失败但是银行扣款了',
  '请问这是官方客服吗？',
  '提现一直显示处理中',
  '好的，谢谢',
  '我的助记词是 [seed_phrase removed] 怎么办',
  '可以修改绑定的手机号吗？',
];
const NAMES_EN = ['Alice', 'Ben', 'Carla', 'Daniel', 'Eve', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const NAMES_ZH = ['王磊', '李娜', '陈晓明', '张伟', '刘洋', '杨静', '赵敏', '黄磊', '周杰', '吴芳'];
const PRIORITIES = ['urgent', 'high', 'normal', 'normal', 'normal', 'normal', 'low'] as const;
const INTENT_OF_TEXT = ['payment_failed', 'forgot_password', 'account_compromised', 'security_question', 'payment_failed', 'security_question', 'payment_failed', 'other', 'security_question', 'other'];

/** The i-th seeded customer: even ones write Chinese, odd ones English; names and handles are unique. */
export function contactOf(i: number): { name: string; handle: string; lang: 'zh' | 'en' } {
  const lang = i % 2 === 0 ? 'zh' : 'en';
  const first = (lang === 'zh' ? NAMES_ZH : NAMES_EN)[Math.floor(i / 2) % 10]!;
  return { name: `${first} ${i}`, handle: `${lang === 'zh' ? 'user' : first.toLowerCase()}_${i}`, lang };
}

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BUILTIN = new Set(['text', 'timestamptz', 'int', 'boolean']);

/**
 * INSERT ... SELECT FROM unnest(...) in chunks. `columns` maps column name → [type, values]; a type that is
 * not a built-in one is a Prisma enum, sent as text and cast.
 */
async function insert(client: pg.Client, table: string, columns: Record<string, [string, unknown[]]>): Promise<void> {
  const names = Object.keys(columns);
  const types = names.map((n) => columns[n]![0]);
  const total = columns[names[0]!]![1].length;
  const select = types.map((t, i) => (BUILTIN.has(t) ? `c${i}` : `c${i}::"${t}"`)).join(', ');
  const arrays = types.map((t, i) => `$${i + 1}::${BUILTIN.has(t) ? t : 'text'}[]`).join(', ');
  const sql = `insert into "${table}" (${names.map((n) => `"${n}"`).join(', ')})
               select ${select} from unnest(${arrays}) as x(${names.map((_, i) => `c${i}`).join(', ')})`;
  for (let from = 0; from < total; from += CHUNK) {
    await client.query(sql, names.map((n) => columns[n]![1].slice(from, from + CHUNK)));
  }
}

export async function seedInbox(databaseUrl: string, options: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const n = options.conversations ?? 10_000;
  const threadLength = options.threadMessages ?? 2000;
  const perConversation = options.messagesPerConversation ?? 3;
  const rand = random(options.seed ?? 1);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const connectorIds = { telegram: randomUUID(), discord: randomUUID() };
    for (const [platform, id] of Object.entries(connectorIds)) {
      // Credentials are never decrypted here: the connector is disabled, only its conversations matter.
      await client.query(
        `insert into "Connector" (id, platform, name, enabled, credentials, "updatedAt") values ($1, $2::"Platform", $3, false, 'bench-not-a-credential', now())`,
        [id, platform, `Bench ${platform}`],
      );
    }

    const now = Date.now();
    const contacts: { id: string; name: string; handle: string; lang: 'zh' | 'en' }[] = [];
    const conv = {
      id: [] as string[], connectorId: [] as string[], contactId: [] as string[], visibility: [] as string[], thread: [] as string[],
      status: [] as string[], priority: [] as string[], intent: [] as string[], flagged: [] as boolean[], last: [] as string[], due: [] as (string | null)[],
    };
    const msg = {
      id: [] as string[], conversationId: [] as string[], connectorId: [] as string[], direction: [] as string[], externalId: [] as string[],
      authorId: [] as string[], authorName: [] as string[], text: [] as string[], language: [] as string[], createdAt: [] as string[], sentById: [] as (string | null)[],
    };
    const findings = { id: [] as string[], messageId: [] as string[], type: [] as string[], start: [] as number[], end: [] as number[] };

    const addMessage = (conversationId: string, connectorId: string, inbound: boolean, author: { id: string; name: string }, text: string, lang: string, at: number) => {
      const id = randomUUID();
      msg.id.push(id);
      msg.conversationId.push(conversationId);
      msg.connectorId.push(connectorId);
      msg.direction.push(inbound ? 'inbound' : 'outbound');
      msg.externalId.push(`bench-${msg.id.length}`);
      msg.authorId.push(author.id);
      msg.authorName.push(author.name);
      msg.text.push(text);
      msg.language.push(lang);
      msg.createdAt.push(new Date(at).toISOString());
      for (const type of ['payment_card', 'seed_phrase'] as const) {
        const placeholder = `[${type} removed]`;
        const start = text.indexOf(placeholder);
        if (start >= 0) {
          findings.id.push(randomUUID());
          findings.messageId.push(id);
          findings.type.push(type);
          findings.start.push(start);
          findings.end.push(start + placeholder.length);
        }
      }
    };

    for (let i = 0; i < n; i++) {
      const contact = { id: randomUUID(), ...contactOf(i) };
      contacts.push(contact);
      const platform = rand() < 0.6 ? 'telegram' : 'discord';
      const connectorId = connectorIds[platform];
      const id = randomUUID();
      const visibility = rand() < 0.35 ? 'public' : 'private';
      // Newest first: conversation 0 is the most recent; they spread over the last 30 days.
      const last = now - i * Math.floor((30 * 86_400_000) / Math.max(n, 1)) - Math.floor(rand() * 1000);
      const textIndex = Math.floor(rand() * 10);
      const lang = contact.lang;
      const texts = lang === 'zh' ? ZH : EN;
      const flagged = texts[textIndex]!.includes(' removed]');
      conv.id.push(id);
      conv.connectorId.push(connectorId);
      conv.contactId.push(contact.id);
      conv.visibility.push(visibility);
      conv.thread.push(`${visibility === 'private' ? 'dm' : 'group'}:${contact.id}`);
      conv.status.push(rand() < 0.7 ? 'open' : rand() < 0.5 ? 'pending' : 'resolved');
      conv.priority.push(flagged && visibility === 'public' ? 'urgent' : INTENT_OF_TEXT[textIndex] === 'account_compromised' ? 'urgent' : pick(PRIORITIES.slice(1)));
      conv.intent.push(INTENT_OF_TEXT[textIndex]!);
      conv.flagged.push(flagged);
      conv.last.push(new Date(last).toISOString());
      conv.due.push(new Date(last + 30 * 60_000).toISOString());
      for (let k = perConversation - 1; k >= 0; k--) {
        const inbound = k !== 1;
        const text = k === 0 ? texts[textIndex]! : inbound ? pick(texts) : lang === 'zh' ? '您好，我们正在为您查看。' : 'Hi, we are looking into it.';
        addMessage(id, connectorId, inbound, inbound ? { id: `u${i}`, name: contact.name } : { id: 'agent', name: 'Bench Agent' }, text, lang, last - k * 60_000);
      }
    }

    let threadConversationId: string | null = null;
    if (threadLength > 0) {
      // The long thread belongs to the newest conversation, so the web app finds it at the top of its list.
      threadConversationId = conv.id[0] ?? null;
      if (threadConversationId) {
        const contact = contacts[0]!;
        const last = Date.parse(conv.last[0]!);
        for (let k = threadLength; k > perConversation; k--) {
          const inbound = k % 3 !== 0;
          const texts = contact.lang === 'zh' ? ZH : EN;
          addMessage(threadConversationId, conv.connectorId[0]!, inbound, inbound ? { id: 'u0', name: contact.name } : { id: 'agent', name: 'Bench Agent' }, `${pick(texts)} (#${threadLength - k + 1})`, contact.lang, last - k * 60_000);
        }
      }
    }

    await client.query('begin');
    await insert(client, 'Contact', {
      id: ['text', contacts.map((c) => c.id)],
      displayName: ['text', contacts.map((c) => c.name)],
      handle: ['text', contacts.map((c) => c.handle)],
      language: ['text', contacts.map((c) => c.lang)],
    });
    await insert(client, 'ContactIdentity', {
      id: ['text', contacts.map(() => randomUUID())],
      connectorId: ['text', conv.connectorId],
      platformUserId: ['text', contacts.map((_, i) => `u${i}`)],
      handle: ['text', contacts.map((c) => c.handle)],
      displayName: ['text', contacts.map((c) => c.name)],
      contactId: ['text', contacts.map((c) => c.id)],
    });
    await insert(client, 'Conversation', {
      id: ['text', conv.id],
      connectorId: ['text', conv.connectorId],
      contactId: ['text', conv.contactId],
      visibility: ['Visibility', conv.visibility],
      externalThreadId: ['text', conv.thread],
      channelId: ['text', conv.thread],
      status: ['ConversationStatus', conv.status],
      priority: ['Priority', conv.priority],
      intent: ['Intent', conv.intent],
      flagged: ['boolean', conv.flagged],
      lastMessageAt: ['timestamptz', conv.last],
      firstResponseDueAt: ['timestamptz', conv.due],
    });
    await insert(client, 'Message', {
      id: ['text', msg.id],
      conversationId: ['text', msg.conversationId],
      connectorId: ['text', msg.connectorId],
      direction: ['Direction', msg.direction],
      externalId: ['text', msg.externalId],
      authorId: ['text', msg.authorId],
      authorName: ['text', msg.authorName],
      text: ['text', msg.text],
      language: ['text', msg.language],
      createdAt: ['timestamptz', msg.createdAt],
      deliveryStatus: ['DeliveryStatus', msg.direction.map((d) => (d === 'outbound' ? 'sent' : null))],
    });
    await insert(client, 'Finding', {
      id: ['text', findings.id],
      messageId: ['text', findings.messageId],
      type: ['text', findings.type],
      start: ['int', findings.start],
      end: ['int', findings.end],
      masked: ['boolean', findings.id.map(() => true)],
    });
    await client.query('commit');
    await client.query('analyze "Contact", "Conversation", "Message", "Finding"');
    return { connectorIds, threadConversationId, conversations: n, messages: msg.id.length, ms: performance.now() - started };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { conversations: { type: 'string', default: '10000' }, thread: { type: 'string', default: '2000' } } });
  const databaseUrl = positionals[0] ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('usage: tsx bench/web-seed.ts <databaseUrl> [--conversations 10000] [--thread 2000]');
  const result = await seedInbox(databaseUrl, { conversations: Number(values.conversations), threadMessages: Number(values.thread) });
  console.log(JSON.stringify(result));
}
