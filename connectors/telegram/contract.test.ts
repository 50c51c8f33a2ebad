// The shared connector contract, run against the Telegram fake with the real telegraf client.
import { runConnectorContract } from '../testing/contract.ts';
import { TelegramFake } from './fake-server.ts';
import { createTelegramConnector } from './index.ts';

const BOT = { token: '4440001:CONTRACT_token_for_the_fake_0000', id: 4440001, username: 'contract_bot' };
const GROUP = { id: -1004440000001, title: 'Contract group', type: 'supergroup' as const };
const CUSTOMER = { id: 4449001, first_name: 'Quinn', username: 'quinn_q', language_code: 'en' };

runConnectorContract({
  platform: 'telegram',
  async start() {
    const fake = new TelegramFake({ bots: [BOT], pollHoldMs: 100 });
    await fake.start();
    const make = (botToken: string) => createTelegramConnector({ connectorId: 'telegram-contract', botToken, apiRoot: fake.apiRoot, mode: 'polling', pollTimeoutSec: 1 });
    let last: any;
    const externalId = (m: { chat: { id: number }; message_id: number }) => `${m.chat.id}:${m.message_id}`;
    return {
      connector: make(BOT.token),
      sameConnectorElsewhere: () => make(BOT.token),
      connectorWithBadCredentials: () => make('4440001:WRONG_token_the_fake_does_not_know'),
      customerWritesPrivately: async (text) => {
        last = fake.userSendsPrivate(BOT.token, CUSTOMER, text);
      },
      customerMentionsBotInPublic: async (text) => {
        last = fake.userSendsInGroup(BOT.token, GROUP, CUSTOMER, `@${BOT.username} ${text}`);
      },
      customerEditsLast: async (text) => {
        const prefix = last.chat.type === 'private' ? '' : `@${BOT.username} `;
        last = fake.userEdits(BOT.token, last.chat.id, last.message_id, `${prefix}${text}`);
      },
      redeliverLast: async () => {
        fake.pushUpdate(BOT.token, { message: last });
      },
      // Two failing long polls, as when Telegram's front end is away for a moment.
      dropConnection: async () => {
        fake.injectFault({ method: 'getUpdates', kind: 'server_error', status: 502, times: 2 });
      },
      botMessages: () =>
        fake.sentMessages(BOT.token).map((m: any) => ({ text: m.text, replyToExternalId: m.reply_to_message ? externalId({ chat: m.chat, message_id: m.reply_to_message.message_id }) : undefined })),
      failNextSends: (kind, times) =>
        fake.injectFault(kind === 'rate_limit' ? { method: 'sendMessage', kind, retryAfter: 1, times } : { method: 'sendMessage', kind, status: 502, times }),
      setDeleteRights: (allowed) => fake.setBotRights(BOT.token, GROUP.id, { canDeleteMessages: allowed }),
      publicMessageStillVisible: (id) => fake.chatMessages(GROUP.id).some((m: any) => externalId(m) === id),
      stop: () => fake.stop(),
    };
  },
});
