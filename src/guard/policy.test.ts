import { describe, expect, it } from 'vitest';
import { FINDING_TYPES } from '../domain/types.ts';
import {
  DEFAULT_GUARD_POLICY,
  GuardPolicySchema,
  mustMask,
  publicActionFor,
  renderTemplate,
  RISK_GROUPS,
  riskGroupOf,
} from './policy.ts';

describe('guard policy', () => {
  it('the default policy is valid', () => {
    expect(GuardPolicySchema.parse(DEFAULT_GUARD_POLICY)).toEqual(DEFAULT_GUARD_POLICY);
  });

  it('masks secrets everywhere and contact data only in public', () => {
    for (const type of FINDING_TYPES) {
      const contact = type === 'phone' || type === 'email';
      expect(mustMask(DEFAULT_GUARD_POLICY, type, 'public')).toBe(true);
      expect(mustMask(DEFAULT_GUARD_POLICY, type, 'private')).toBe(!contact);
      expect(DEFAULT_GUARD_POLICY.types[type].publicAction).toBe(contact ? 'warn' : 'remove_warn_dm');
    }
  });

  it('picks the strongest public action', () => {
    expect(publicActionFor(DEFAULT_GUARD_POLICY, [])).toBe('none');
    expect(publicActionFor(DEFAULT_GUARD_POLICY, ['email'])).toBe('warn');
    expect(publicActionFor(DEFAULT_GUARD_POLICY, ['email', 'seed_phrase'])).toBe('remove_warn_dm');
  });

  it('has every template in both languages', () => {
    for (const lang of ['en', 'zh'] as const) {
      const t = DEFAULT_GUARD_POLICY.templates[lang];
      for (const group of RISK_GROUPS) expect(t.publicWarning[group]).toContain('{handle}');
      for (const type of FINDING_TYPES) expect(t.dm[type].length).toBeGreaterThan(20);
      for (const part of [t.removed, t.notRemoved, t.dmSent, t.dmInvite]) expect(part.length).toBeGreaterThan(4);
    }
    expect(DEFAULT_GUARD_POLICY.templates.zh.dm.seed_phrase).toContain('新钱包');
    expect(DEFAULT_GUARD_POLICY.templates.en.dm.password).toMatch(/two-factor/);
    expect(DEFAULT_GUARD_POLICY.templates.en.dmInvite).toMatch(/direct message/);
    expect(DEFAULT_GUARD_POLICY.templates.zh.dmInvite).toMatch(/私信/);
    expect(riskGroupOf('private_key')).toBe('wallet');
  });

  it('renders {handle}, or drops it cleanly when unknown', () => {
    expect(renderTemplate('{handle} hello', { handle: '@alice' })).toBe('@alice hello');
    expect(renderTemplate('{handle} hello', {})).toBe('hello');
    expect(renderTemplate('Hi {handle}, this is support', {})).toBe('Hi, this is support');
    expect(renderTemplate('{handle} 您好', { handle: '  ' })).toBe('您好');
  });

  it('rejects bad policies with field-level errors', () => {
    const bad = structuredClone(DEFAULT_GUARD_POLICY) as unknown as Record<string, any>;
    bad.types.otp.publicAction = 'explode';
    bad.templates.en.dm.email = '';
    bad.templates.zh.publicWarning.wallet = 'hi {name}';
    const result = GuardPolicySchema.safeParse(bad);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['types.otp.publicAction', 'templates.en.dm.email', 'templates.zh.publicWarning.wallet']),
    );
    expect(GuardPolicySchema.safeParse({ ...DEFAULT_GUARD_POLICY, extra: 1 }).success).toBe(false);
  });
});
