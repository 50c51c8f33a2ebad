// The Telegram connector, on telegraf's Bot API client. Receives by long polling (getUpdates) or by webhook,
// sends with sendMessage threaded to the customer's message, deletes with deleteMessage.
import { timingSafeEqual } from 'node:crypto';
import { Telegram, TelegramError } from 'telegraf';
import { z } from 'zod';
import type { InboundMessage, MessageRef, OutboundReply, PlatformUserRef } from '../../src/domain/types.ts';
import type { Connector, ConnectorCapabilities, ConnectorDefinition, PollBatch, WebhookDelivery, WebhookRequest } from '../connector.ts';
import { AuthError, ConnectorError, InvalidError, NetworkError, NotFoundError, PermissionError, RateLimitedError } from '../errors.ts';
import { normalizeTelegramUpdate, TELEGRAM_ALLOWED_UPDATES, TelegramUpdateSchema, type TelegramBotIdentity } from './normalize.ts';

export interface TelegramConnectorConfig {
  connectorId: string;
  botToken: string;
  /** Replaces https://api.telegram.org (a local fake or a proxy). */
  apiRoot?: string;
  mode: 'polling' | 'webhook';
  /** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token on every webhook delivery. */
  webhookSecret?: string;
  webhookUrl?: string;
  /** Long-poll duration in seconds. */
  pollTimeoutSec?: number;
}

const POLL_LIMIT = 100;

/** Telegram's URLs carry the bot token (/bot<token>/method), and some client errors quote the URL. */
const withoutToken = (text: string) => text.replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot[redacted]');

/** The one place Telegram failures become ConnectorErrors. */
export function toConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const error = classify(err);
  error.message = withoutToken(error.message);
  return error;
}

function classify(err: unknown): ConnectorError {
  if (err instanceof TelegramError) {
    const description = err.description || err.message;
    const code = err.code;
    if (code === 429) return new RateLimitedError((err.parameters?.retry_after ?? 5) * 1000, `Telegram: ${description}`);
    if (code === 401 || (code === 404 && /not found/i.test(description) && !/message|chat/i.test(description)))
      return new AuthError('Telegram rejected the bot token (401 Unauthorized).');
    if (code === 403) return new PermissionError(`Telegram refused: ${description}`);
    if (code === 409) return new InvalidError(`Telegram: ${description}`);
    if (code >= 500) return new NetworkError(`Telegram answered ${code}: ${description}`);
    if (/not found/i.test(description)) return new NotFoundError(`Telegram: ${description}`);
    return new InvalidError(`Telegram: ${description}`);
  }
  const e = err as { name?: string; code?: string; type?: string; message?: string };
  // The call was answered, so it may well have been carried out; only the answer is unreadable.
  if (e.type === 'invalid-json' || err instanceof SyntaxError) {
    return new NetworkError('Telegram answered something that is not JSON.', true);
  }
  // Refused or unresolved connections never reached Telegram; a reset or a timeout may have, after sending.
  const neverSent = e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN';
  if (e.name === 'FetchError' || e.name === 'AbortError' || e.code) {
    return new NetworkError(`Telegram unreachable: ${e.code ?? e.message ?? 'network error'}`, !neverSent);
  }
  return new NetworkError(`Telegram call failed: ${e.message ?? String(err)}`, true);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** "chatId:messageId" → [chatId, messageId] */
function splitExternalId(externalId: string): [string, number] {
  const at = externalId.lastIndexOf(':');
  return [externalId.slice(0, at), Number(externalId.slice(at + 1))];
}

export class TelegramConnector implements Connector {
  readonly platform = 'telegram' as const;
  readonly idempotentSend = false;
  /**
   * Telegram Bot FAQ, "My bot is hitting limits, how do I avoid this?": no more than one message per second in
   * a chat, and no more than 20 messages per minute in a group; beyond that the API answers 429 with retry_after.
   */
  readonly chatPace = { minIntervalMs: 1000, publicPerMinute: 20 };
  readonly capabilities: ConnectorCapabilities;
  readonly connectorId: string;
  private readonly telegram: Telegram;
  private bot?: TelegramBotIdentity;
  private webhookCleared = false;

  constructor(private readonly config: TelegramConnectorConfig) {
    this.connectorId = config.connectorId;
    this.telegram = new Telegram(config.botToken, {
      ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}),
      // Our webhook handler answers 200 itself; calls made while handling one must be real API calls.
      webhookReply: false,
    });
    this.capabilities = {
      webhook: config.mode === 'webhook',
      polling: config.mode === 'polling',
      gateway: false,
      deletePublic: true,
      hidePublic: false,
      directMessage: true,
    };
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw toConnectorError(err);
    }
  }

  async connect(): Promise<PlatformUserRef> {
    const me = await this.call(() => this.telegram.getMe());
    this.bot = { id: me.id, username: me.username };
    return { id: String(me.id), handle: me.username, displayName: me.first_name };
  }

  private async identity(): Promise<TelegramBotIdentity> {
    if (!this.bot) await this.connect();
    return this.bot!;
  }

  private normalize(updates: unknown[], bot: TelegramBotIdentity): InboundMessage[] {
    const events: InboundMessage[] = [];
    for (const raw of updates) {
      const parsed = TelegramUpdateSchema.safeParse(raw);
      if (!parsed.success) continue; // not an update we understand; never worth stopping the stream for
      const event = normalizeTelegramUpdate(parsed.data, bot, this.connectorId);
      if (event) events.push(event);
    }
    return events;
  }

  /** Webhook mode: points Telegram at our webhook URL, with the secret it must send back. */
  async subscribeWebhook(): Promise<void> {
    if (!this.config.webhookUrl) throw new InvalidError('Webhook mode needs PUBLIC_URL so Telegram can reach us.');
    await this.call(() =>
      this.telegram.setWebhook(this.config.webhookUrl!, {
        secret_token: this.config.webhookSecret,
        allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
      }),
    );
    this.webhookCleared = false;
  }

  /**
   * One long poll (getUpdates). The cursor is the last update id handed over; the offset sent to Telegram is
   * one past it, and Telegram forgets updates only once a later getUpdates names a higher offset. The runtime
   * passes the new cursor only after the batch was sunk, so a crash anywhere re-reads at most the last batch
   * (the core drops the repeats) and never loses one.
   */
  async poll(cursor: string | null, signal: AbortSignal): Promise<PollBatch> {
    if (!this.webhookCleared) {
      // getUpdates is refused (409) while a webhook is set, e.g. after switching from webhook mode.
      await this.call(() => this.telegram.deleteWebhook({ drop_pending_updates: false }));
      this.webhookCleared = true;
    }
    const bot = await this.identity();
    const offset = cursor ? Number(cursor) + 1 : undefined;
    const updates = await this.call(() =>
      this.telegram.callApi(
        'getUpdates',
        { offset, limit: POLL_LIMIT, timeout: this.config.pollTimeoutSec ?? 25, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] },
        // telegraf types the signal as the abort-controller polyfill's; Node's own is what it uses at run time.
        { signal: signal as never },
      ),
    );
    if (!updates.length) return { events: [], cursor };
    return { events: this.normalize(updates, bot), cursor: String(updates[updates.length - 1]!.update_id) };
  }

  async handleWebhook(req: WebhookRequest): Promise<WebhookDelivery> {
    const reject = (status: number, code: string, message: string): WebhookDelivery => ({ events: [], response: { status, body: { error: { code, message } } } });
    if (req.method !== 'POST') return reject(405, 'method_not_allowed', 'Telegram webhooks are POSTs.');
    const secret = req.headers['x-telegram-bot-api-secret-token'] ?? '';
    if (!this.config.webhookSecret || !safeEqual(secret, this.config.webhookSecret)) {
      return reject(403, 'forbidden', 'Wrong or missing X-Telegram-Bot-Api-Secret-Token.');
    }
    let update: unknown;
    try {
      update = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return reject(400, 'bad_request', 'The body is not valid JSON.');
    }
    if (!TelegramUpdateSchema.safeParse(update).success) {
      return reject(400, 'bad_request', 'The body is not a Telegram Update (update_id missing).');
    }
    // Telegram retries any non-2xx: the runtime answers 200 only once these are queued.
    return { events: this.normalize([update], await this.identity()), response: { status: 200, body: { ok: true } } };
  }

  async send(reply: OutboundReply): Promise<{ externalId: string; sentAt: Date }> {
    const replyTo = reply.replyToExternalId ? splitExternalId(reply.replyToExternalId)[1] : undefined;
    const sent = await this.call(() =>
      this.telegram.sendMessage(reply.channelId, reply.text, {
        ...(replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
      }),
    );
    return { externalId: `${sent.chat.id}:${sent.message_id}`, sentAt: new Date(sent.date * 1000) };
  }

  async removePublic(ref: MessageRef): Promise<'deleted' | 'hidden' | 'not_allowed'> {
    const [chatId, messageId] = splitExternalId(ref.externalId);
    try {
      await this.call(() => this.telegram.deleteMessage(chatId, messageId));
      return 'deleted';
    } catch (err) {
      if (err instanceof NotFoundError) return 'deleted'; // already gone
      if (err instanceof InvalidError || err instanceof PermissionError) return 'not_allowed'; // "message can't be deleted"
      throw err;
    }
  }

  /** Works only when the customer has opened a private chat with the bot before (Telegram's rule). */
  async openDirect(user: PlatformUserRef, text: string): Promise<{ externalId: string; externalThreadId: string; channelId: string }> {
    const sent = await this.call(() => this.telegram.sendMessage(user.id, text));
    // As normalize.ts names a private chat.
    return { externalId: `${sent.chat.id}:${sent.message_id}`, externalThreadId: `dm:${sent.chat.id}`, channelId: String(sent.chat.id) };
  }
}

export function createTelegramConnector(config: TelegramConnectorConfig): TelegramConnector {
  return new TelegramConnector(config);
}

const TelegramCredentials = z.object({ botToken: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'not a Telegram bot token (123456:ABC...)') });
const TelegramSettings = z.object({
  apiRoot: z.url().optional(),
  mode: z.enum(['polling', 'webhook']).default('polling'),
  webhookSecret: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters of A-Z, a-z, 0-9, _ and -').optional(),
  pollTimeoutSec: z.number().int().min(0).max(50).optional(),
});

export const telegramDefinition: ConnectorDefinition<z.infer<typeof TelegramCredentials>, z.infer<typeof TelegramSettings>> = {
  platform: 'telegram',
  credentialsSchema: TelegramCredentials,
  settingsSchema: TelegramSettings,
  secretSettings: ['webhookSecret'],
  maxReplyLength: 4096,
  create: ({ connectorId, credentials, settings, webhookUrl }) =>
    createTelegramConnector({ connectorId, botToken: credentials.botToken, ...settings, webhookUrl }),
};
