import { describe, expect, it } from 'vitest';
import { FINDING_TYPES } from '../domain/types.ts';
import { detect, resolveOverlaps } from './index.ts';
import { mnemonicWords, Rng } from './corpus/values.ts';

const r = new Rng(99);
const typed = (text: string) => detect(text).map((f) => [f.type, text.slice(f.start, f.end)]);

describe('detect', () => {
  it('finds a damaged phrase whose typo is a 2-letter word, even one spelling a connective', () => {
    // The pre-scan once ended the run of possible phrase words at any 2-letter word, so these never reached the
    // phrase detector.
    const ma = 'another noote silly blood surround cart sniff trust need ma board must';
    expect(typed(`please help, my seed is ${ma} asap`)).toEqual([['seed_phrase', ma]]);
    const ne = 'clip, script, ne, next, inchh, afraid, same, sheriff, voice, almost, lkie, true';
    expect(typed(`recovery phrase (I can't read my handwriting): ${ne} 🙏`)).toEqual([['seed_phrase', ne]]);
    // Prose with short words between list words is still no phrase.
    expect(typed('I want to send my whole balance to my mother but the app says it is not allowed now')).toEqual([]);
  });

  it('returns sorted, non-overlapping findings with UTF-16 offsets', () => {
    const phrase = mnemonicWords(r, 12, 'en').join(' ');
    const text = `👋 email a@b.io, 手机 138 1234 5678, seed ${phrase}, 验证码 482913 🙏`;
    const findings = detect(text);
    expect(findings.map((f) => f.type)).toEqual(['email', 'phone', 'seed_phrase', 'otp']);
    for (let i = 1; i < findings.length; i++) expect(findings[i]!.start).toBeGreaterThanOrEqual(findings[i - 1]!.end);
    expect(typed(text)).toEqual([
      ['email', 'a@b.io'],
      ['phone', '138 1234 5678'],
      ['seed_phrase', phrase],
      ['otp', '482913'],
    ]);
  });

  it('prefers the more specific type when spans overlap', () => {
    expect(typed('bot token 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0')).toEqual([
      ['api_token', '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0'],
    ]);
    expect(typed('card: 4111 1111 1111 1111')).toEqual([['payment_card', '4111 1111 1111 1111']]);
    expect(typed('pwd: 13812345678')).toEqual([['password', '13812345678']]);
    expect(typed('银行卡号 6222 0212 3456 7890 128')).toEqual([['bank_account', '6222 0212 3456 7890 128']]);
    expect(typed('身份证 11010519491231002X')).toEqual([['national_id', '11010519491231002X']]);
  });

  it('resolveOverlaps keeps the higher rank, then the longer span', () => {
    expect(
      resolveOverlaps(
        [
          { type: 'phone', start: 0, end: 11 },
          { type: 'payment_card', start: 0, end: 16 },
          { type: 'email', start: 20, end: 30 },
        ],
        40,
      ),
    ).toEqual([
      { type: 'payment_card', start: 0, end: 16 },
      { type: 'email', start: 20, end: 30 },
    ]);
  });

  it('handles full-width Chinese input', () => {
    expect(typed('验证码：４８２９１３，手机：１３８１２３４５６７８')).toEqual([
      ['otp', '４８２９１３'],
      ['phone', '１３８１２３４５６７８'],
    ]);
  });

  it('returns nothing for empty and ordinary text', () => {
    expect(detect('')).toEqual([]);
    expect(detect('hi, my withdrawal has been pending for 3 hours, can you check?')).toEqual([]);
    expect(detect('你好，提现已经三个小时了还没到账，帮忙看一下')).toEqual([]);
  });

  it('only reports known types', () => {
    const text = `pw: abc12345 ${mnemonicWords(r, 24, 'en').join(' ')}`;
    for (const f of detect(text)) expect(FINDING_TYPES).toContain(f.type);
  });
});

// Each of these would make a backtracking regex (or a quadratic scan) take seconds or minutes. The test only
// asserts results; bench/guard.ts reports the time.
describe('adversarial input stays linear', () => {
  const MB = 1 << 20;
  const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length));
  it.each([
    ['digits', fill('1')],
    ['digit groups', fill('1 ')],
    ['card-like groups', fill('4111 ')],
    ['a…a@', 'a'.repeat(MB) + '@'],
    ['a@a@…', fill('a@')],
    ['hex', fill('0123456789abcdef')],
    ['base58', fill('5KLc9xprvYZ123456789ABCDEFGHJKLMNP')],
    ['BIP39 words', fill('abandon ability able about above absent ')],
    ['BIP39 characters', fill('的一是在不了有和人这中大为上个国')],
    ['framing', fill('seed phrase 助记词 ')],
    ['password labels', fill('password: 密码是')],
    ['code labels', fill('验证码 code is 1')],
    ['PEM begins', fill('-----BEGIN PRIVATE KEY-----\n')],
    ['plus signs', fill('+1 ')],
    ['spaces', fill(' ')],
    ['JWT prefixes', fill('eyJ')],
    ['emoji', fill('😀')],
    ['full-width digits', fill('１２３４')],
  ])('%s (1 MB)', (_, text) => {
    const findings = detect(text);
    expect(Array.isArray(findings)).toBe(true);
    for (const f of findings) expect(f.end).toBeLessThanOrEqual(text.length);
  });
});
