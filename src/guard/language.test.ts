import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.ts';

describe('detectLanguage', () => {
  it.each([
    ['你好，提现一直没到账', undefined, 'zh'],
    ['hi, my withdrawal is stuck', undefined, 'en'],
    ['hi, my withdrawal is stuck', 'zh-hans', 'en'],
    ['我的 USDT 提现到 Binance 一直 pending', undefined, 'zh'],
    ['my 钱包 is empty', 'en', 'en'],
    ['my 钱包 is empty', 'zh-hans', 'zh'],
    ['0x5c50…2060 🙏', 'zh-hans', 'zh'],
    ['0x5c50…2060 🙏', 'en', 'en'],
    ['12345', undefined, 'en'],
    ['', 'zh-CN', 'zh'],
    ['', 'zh_TW', 'zh'],
    ['', 'ru', 'en'],
  ] as const)('%j (hint %s) → %s', (text, hint, expected) => {
    expect(detectLanguage(text, hint)).toBe(expected);
  });

  it('does not count the words of a secret in the message', () => {
    const phrase = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
    const text = `我的助记词是 ${phrase} 帮帮我`;
    const secret = { type: 'seed_phrase' as const, start: 7, end: 7 + phrase.length };
    expect(detectLanguage(text, 'en')).toBe('en'); // counted, the twelve English words outweigh
    expect(detectLanguage(text, 'en', [secret])).toBe('zh');
    expect(detectLanguage(`my seed phrase is ${phrase} please help`, 'zh-hans', [{ ...secret, start: 18, end: 18 + phrase.length }])).toBe('en');
    expect(detectLanguage(phrase, 'zh-hans', [{ ...secret, start: 0, end: phrase.length }])).toBe('zh');
  });
});
