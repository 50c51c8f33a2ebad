// A customer's display name runs through the guard like their messages: a password and a card number in a
// Telegram profile name are masked before the name is stored (Contact, ContactIdentity, Message.authorName), so
// neither the inbox, its search nor the database holds them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramFake } from '../connectors/telegram/fake-server.ts';
import { eventually, startTestInbox, type TestInbox, telegramConnector } from './support/inbox.ts';

let inbox: TestInbox;
let fake: TelegramFake;
const BOT = { token: '5570003:NAMES_token_for_the_fake_000000', id: 5570003, username: 'names_test_bot' };
const GROUP = { id: -1005570000003, title: 'Names', type: 'supergroup' as const };

beforeAll(async () => {
  inbox = await startTestInbox();
  fake = new TelegramFake({ bots: [BOT], pollHoldMs: 100 });
  await fake.start();
  fake.setBotRights(BOT.token, GROUP.id, { canDeleteMessages: true });
  await inbox.connect(telegramConnector(fake.apiRoot, BOT.token, 'TG names'));
});
afterAll(async () => {
  await fake?.stop();
  await inbox?.stop();
});

describe('a display name holding secrets', () => {
  it('is stored masked in every place a name is kept, and search does not find the secrets', async () => {
    const user = { id: 670101, first_name: 'pw Hunter2xyz', last_name: '4111111111111111', username: 'name_leak', language_code: 'en' };
    fake.userSendsInGroup(BOT.token, GROUP, user, `@${BOT.username} hello, my withdrawal is stuck`);
    const conversation = await eventually(
      async () => (await inbox.api('/api/conversations?visibility=public&limit=200')).body.items.find((c: any) => c.contact.handle === 'name_leak'),
      10_000,
      'conversation',
    );
    expect(conversation.contact.displayName).toBe('pw [password removed] [payment_card removed]');
    const [message] = (await inbox.api(`/api/conversations/${conversation.id}/messages`)).body.items;
    expect(message.text).toBe(`@${BOT.username} hello, my withdrawal is stuck`);
    expect(message.author.name).toBe('pw [password removed] [payment_card removed]');
    const contact = (await inbox.api(`/api/contacts/${conversation.contact.id}`)).body;
    expect(contact.identities.map((i: any) => i.displayName)).toEqual(['pw [password removed] [payment_card removed]']);

    for (const q of ['Hunter2xyz', '4111111111111111']) {
      expect((await inbox.api(`/api/conversations?q=${q}`)).body.items).toEqual([]);
    }
    const dump = await inbox.dumpDatabase();
    for (const hay of [dump, inbox.logs.join('')]) {
      expect(hay).not.toContain('Hunter2xyz');
      expect(hay).not.toContain('4111111111111111');
    }
  });
});
