import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize.ts';
import { base58CheckDecode, digitWindows, labelVerdict, luhnValid } from './util.ts';

describe('util', () => {
  it('luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('')).toBe(false);
  });

  it('base58check', () => {
    // The genesis block address and a well-known WIF test vector.
    expect(base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')?.[0]).toBe(0);
    expect(base58CheckDecode('5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ')?.length).toBe(33);
    expect(base58CheckDecode('5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTK')).toBeNull();
    expect(base58CheckDecode('0OIl')).toBeNull();
  });

  it('normalizes digits and separators of every form without changing length', () => {
    const text = '验证码：４８２９１３　ｏｋ＠';
    const folded = normalizeText(text);
    expect(folded).toBe('验证码:482913 ok@');
    expect(folded.length).toBe(text.length);
    expect(normalizeText('plain')).toBe('plain');
    expect(normalizeText('كود ٤٨٢٩١٣ / ۴۸۲ / १२३')).toBe('كود 482913 / 482 / 123');
    expect(normalizeText('4\u00a08\u202f2 \u2013 1\u22123')).toBe('4 8 2 - 1-3');
    const long = '１'.repeat(5000) + '\u3000';
    expect(normalizeText(long)).toBe('1'.repeat(5000) + ' ');
  });

  it('label verdict: the nearer label wins, ties go to the negative one', () => {
    const pos = /key/g;
    const neg = /public key|tx/g;
    const at = (text: string) => labelVerdict(text, text.indexOf('X'), text.indexOf('X') + 1, pos, neg);
    expect(at('key X')).toBe('positive');
    expect(at('public key X')).toBe('negative');
    expect(at('key for the tx X')).toBe('negative');
    expect(at('tx, then my key X')).toBe('positive');
    expect(at('X is my key')).toBe('positive');
    expect(at('X')).toBeNull();
  });

  it('digit windows follow written groups', () => {
    const windows = (text: string) => {
      const out: string[] = [];
      for (const w of digitWindows(text, 13, 19)) {
        out.push(w.digits);
        w.taken = true;
      }
      return out;
    };
    expect(windows('12 4111 1111 1111 1111')).toEqual(['4111111111111111']);
    expect(windows('6222 0212 3456 7890 12')).toEqual(['622202123456789012']);
    expect(windows('1 2 3 4 5 6 7 8 9 1 2 3 4 5')).toEqual([]);
    expect(windows('1'.repeat(40))).toEqual([]);
    // A group glued to a word in front or behind belongs to that word; the rest stands on its own.
    expect(windows('utf8 4111111111111111')).toEqual(['4111111111111111']);
    expect(windows('4111 1111 1111 1111 2nd')).toEqual(['4111111111111111']);
    expect(windows('ID4111 1111 1111 1111')).toEqual([]);
    expect(windows('utf8-4111-1111-1111-1111')).toEqual([]);
    // Dots separate groups of the written-card shape only; a decimal point still glues.
    expect(windows('4111.1111.1111.1111')).toEqual(['4111111111111111']);
    expect(windows('0.4111111111111111')).toEqual([]);
    expect(windows('1,4111111111111111')).toEqual([]);
    expect(windows('付,4111111111111111')).toEqual(['4111111111111111']);
  });
});

