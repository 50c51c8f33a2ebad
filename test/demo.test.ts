// Demo mode's "post as a customer" panel, through the API: a newcomer's own text goes through the platform fake
// and the whole inbox, and the guard acts on it as on any customer's.
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestInbox, type TestInbox } from './support/inbox.ts';

let inbox: TestInbox;
beforeAll(async () => {
  inbox = await startTestInbox({ demo: true });
});
afterAll(async () => {
  await inbox?.stop();
});

const conversationOf = (name: string, visibility: string, platform: string) =>
  eventually(async () => {
    const list = await inbox.api(`/api/conversations?limit=200&visibility=${visibility}&platform=${platform}`);
    return list.body.items.find((c: any) => c.contact.displayName === name);
  }, 20_000, `${name}'s ${visibility} ${platform} conversation`);

describe('demo: post as a customer', () => {
  it('says it is on, and which platforms it simulates (GET /api/demo)', async () => {
    const res = await inbox.api('/api/demo');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ enabled: true, platforms: ['telegram', 'discord', 'x'] });
  });

  it('posts in public on Telegram; the guard masks the phrase, acts on the platform and puts the leak first', async () => {
    const phrase = generateMnemonic(english);
    const res = await inbox.api('/api/demo/messages', { body: { platform: 'telegram', visibility: 'public', text: `help, my wallet recovery phrase is ${phrase}`, name: 'Eve Evaluator' } });
    expect(res.status).toBe(202);
    const conversation = await conversationOf('Eve Evaluator', 'public', 'telegram');
    expect(conversation).toMatchObject({ flagged: true, priority: 'urgent', findingTypes: ['seed_phrase'] });
    expect(conversation.preview).toContain('[seed_phrase removed]');
    await eventually(async () => {
      const messages = (await inbox.api(`/api/conversations/${conversation.id}/messages`)).body.items;
      return messages.some((m: any) => m.kind === 'guard_warning');
    }, 20_000, 'the guard’s public warning');
    expect(await inbox.dumpDatabase()).not.toContain(phrase);
  });

  it('posts privately on Discord under the same name, in the customer’s language', async () => {
    const res = await inbox.api('/api/demo/messages', { body: { platform: 'discord', visibility: 'private', text: '我的充值还没到账', name: 'Eve Evaluator' } });
    expect(res.status).toBe(202);
    const conversation = await conversationOf('Eve Evaluator', 'private', 'discord');
    expect(conversation).toMatchObject({ intent: 'payment_failed', priority: 'high', language: 'zh', preview: '我的充值还没到账' });
  });

  it('posts on X too, and validates its input', async () => {
    const res = await inbox.api('/api/demo/messages', { body: { platform: 'x', visibility: 'public', text: 'my password reset email never arrives' } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ platform: 'x', visibility: 'public', name: null });
    const conversation = await conversationOf('Demo visitor', 'public', 'x');
    expect(conversation.intent).toBe('forgot_password');
    const empty = await inbox.api('/api/demo/messages', { body: { platform: 'telegram', visibility: 'public', text: ' ' } });
    expect(empty.body.error.fields.text).toBe('must not be empty');
    expect((await inbox.api('/api/demo/messages', { body: { platform: 'mastodon', visibility: 'public', text: 'hi' } })).body.error.fields.platform).toBe('must be one of "telegram", "discord", "x"');
    expect((await inbox.api('/api/demo/messages', { token: null, body: { platform: 'telegram', visibility: 'public', text: 'hi' } })).status).toBe(401);
  });
});
