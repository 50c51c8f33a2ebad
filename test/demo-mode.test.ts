// Demo mode across processes and restarts: only an every-role process runs it, and a restarted simulator's
// messages never reuse ids an earlier run stored.
import { describe, expect, it } from 'vitest';
import { TelegramFake } from '../connectors/telegram/fake-server.ts';
import { decideDemo } from '../src/demo/mode.ts';

describe('which process runs demo mode', () => {
  it('runs in a process with every role, when asked or when nothing is configured', () => {
    const every = ['api', 'workers', 'connectors'] as const;
    expect(decideDemo({ roles: [...every], demo: undefined, configuredConnectors: 0 })).toEqual({ start: true, disableDemoConnectors: false });
    expect(decideDemo({ roles: [...every], demo: true, configuredConnectors: 3 })).toEqual({ start: true, disableDemoConnectors: false });
    expect(decideDemo({ roles: [...every], demo: undefined, configuredConnectors: 1 })).toEqual({ start: false, disableDemoConnectors: true });
    expect(decideDemo({ roles: [...every], demo: false, configuredConnectors: 0 })).toEqual({ start: false, disableDemoConnectors: true });
  });

  it('never starts fakes or touches connectors in a process with fewer roles, whatever DEMO says, and says why', () => {
    for (const demo of [true, undefined]) {
      const decision = decideDemo({ roles: ['api'], demo, configuredConnectors: 0 });
      expect(decision).toMatchObject({ start: false, disableDemoConnectors: false });
      expect(decision.reason).toMatch(/every role.*ROLES=api\b/);
    }
    expect(decideDemo({ roles: ['workers', 'connectors'], demo: false, configuredConnectors: 0 })).toEqual({ start: false, disableDemoConnectors: false });
  });
});

describe('the Telegram fake after a restart', () => {
  it('numbers every chat’s messages from firstMessageId', async () => {
    const bot = { token: '7000000001:restart_test_token', id: 7000000001, username: 'restart_bot' };
    const fake = new TelegramFake({ bots: [bot], firstMessageId: 5_000_000 });
    const customer = { id: 42, first_name: 'Ada' };
    expect(fake.userSendsPrivate(bot.token, customer, 'first').message_id).toBe(5_000_000);
    expect(fake.userSendsPrivate(bot.token, customer, 'second').message_id).toBe(5_000_001);
    const group = { id: -1001000000001, title: 'Group' };
    expect(fake.userSendsInGroup(bot.token, group, customer, 'hello').message_id).toBe(5_000_000);
    expect(new TelegramFake({ bots: [bot] }).userSendsPrivate(bot.token, customer, 'default').message_id).toBe(1);
  });
});
