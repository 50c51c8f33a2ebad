// The shared connector contract, run against the Discord fake with the real discord.js client.
import { runConnectorContract } from '../testing/contract.ts';
import { DISCORD_FAKE_DEFAULTS, DiscordFake, type DiscordMessage } from './fake-server.ts';
import { createDiscordConnector } from './index.ts';

const GUILD = DISCORD_FAKE_DEFAULTS.guild;
const SUPPORT = GUILD.channels[0].id;
const GENERAL = GUILD.channels[1].id;
const CUSTOMER = { id: '1400000000000000777', username: 'quinn' };

runConnectorContract({
  platform: 'discord',
  async start() {
    const fake = new DiscordFake({ heartbeatIntervalMs: 1000 });
    await fake.start();
    const make = (botToken: string) => createDiscordConnector({ connectorId: 'discord-contract', botToken, apiBase: fake.apiBase, supportChannelIds: [SUPPORT] });
    let last: DiscordMessage | undefined;
    return {
      connector: make(DISCORD_FAKE_DEFAULTS.token),
      sameConnectorElsewhere: () => make(DISCORD_FAKE_DEFAULTS.token),
      connectorWithBadCredentials: () => make('MTEwMDAwMDAwMDAwMDAwMDAwMQ.d3Jvbmc.wrong-token-the-fake-does-not-know'),
      customerWritesPrivately: async (text) => {
        last = fake.userSendsDm(CUSTOMER, text);
      },
      // Outside the support channel, so only the mention makes it public business.
      customerMentionsBotInPublic: async (text) => {
        last = fake.userPosts(GENERAL, CUSTOMER, text, { mentionBot: true });
      },
      // An edit keeps the mention, as a customer editing their question to the bot would.
      customerEditsLast: async (text) => {
        const mention = last!.channel_id === GENERAL ? `<@${DISCORD_FAKE_DEFAULTS.bot.id}> ` : '';
        last = fake.userEdits(last!.channel_id, last!.id, `${mention}${text}`);
      },
      customerDeletesLast: async () => {
        fake.userDeletes(last!.channel_id, last!.id);
      },
      // A reconnect replays what the session missed; the connector also reads the channel history back.
      redeliverLast: async () => {
        fake.dropConnections(4000);
      },
      dropConnection: async () => {
        fake.dropConnections(4000);
      },
      botMessages: () => fake.botMessages().map((m) => ({ text: m.content, replyToExternalId: m.message_reference?.message_id })),
      failNextSends: (kind, times) =>
        fake.injectFault(
          kind === 'rate_limit'
            ? { method: 'POST', pathPrefix: '/channels/', kind, retryAfterSec: 1, times }
            : { method: 'POST', pathPrefix: '/channels/', kind, status: 502, times },
        ),
      setDeleteRights: (allowed) => fake.setBotCanManageMessages(GUILD.id, allowed),
      publicMessageStillVisible: (id) => fake.channelMessages(GENERAL).some((m) => m.id === id),
      stop: () => fake.stop(),
    };
  },
});
