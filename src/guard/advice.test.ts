import { describe, expect, it } from 'vitest';
import { privateAdvice, publicWarning } from './advice.ts';
import { DEFAULT_GUARD_POLICY as policy } from './policy.ts';

describe('public warning', () => {
  it('says what was removed and that advice went out privately, addressing the customer', () => {
    const text = publicWarning(policy, 'en', ['email', 'seed_phrase'], { handle: 'olivia', removed: true, dmSent: true });
    expect(text).toMatch(/^@olivia your message contained a wallet recovery phrase/);
    expect(text).toContain(policy.templates.en.removed);
    expect(text).toContain(policy.templates.en.dmSent);
  });

  it('never claims a removal or a DM that did not happen', () => {
    const text = publicWarning(policy, 'zh', ['password'], { removed: false, dmSent: false });
    expect(text).toContain(policy.templates.zh.notRemoved);
    expect(text).toContain(policy.templates.zh.dmInvite);
    expect(text).not.toContain(policy.templates.zh.removed);
    expect(text).not.toContain(policy.templates.zh.dmSent);
  });

  it('starts with a capital when the customer has no handle, and adds nothing for a gentle warning', () => {
    const text = publicWarning(policy, 'en', ['phone'], {});
    expect(text).toBe(policy.templates.en.publicWarning.contact.replace('{handle} just', 'Just'));
  });
});

describe('private advice', () => {
  it('gives the most urgent advice first, once per kind', () => {
    const text = privateAdvice(policy, 'en', ['payment_card', 'seed_phrase', 'payment_card'], { handle: 'sam' });
    expect(text.indexOf('new wallet')).toBeLessThan(text.indexOf('card issuer'));
    expect(text.match(/card issuer/g)).toHaveLength(1);
    expect(text).toMatch(/^Hi @sam/);
  });
});
