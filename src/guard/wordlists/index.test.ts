import { describe, expect, it } from 'vitest';
import { composedWordIndex, LATIN_LISTS, LATIN_ROWS, latinRow, List, MONERO_ENGLISH, SIMPLIFIED_INDEX, TRADITIONAL_INDEX, WORDS } from './index.ts';

const latinIndex = (list: List, word: string): number => {
  const row = latinRow(word, 0, word.length);
  const r = row >= 0 ? row : row <= -2 ? -row - 2 : -1;
  return r < 0 ? -1 : (LATIN_ROWS[r * LATIN_LISTS + list] ?? -1);
};

describe('word lists', () => {
  it('holds all ten BIP39 lists and the Monero English list, complete', () => {
    for (let list = 0; list <= List.Korean; list++) expect(WORDS[list as List].length).toBe(list === List.Monero ? 1626 : 2048);
    expect(MONERO_ENGLISH[0]).toBe('abbey');
    expect(MONERO_ENGLISH[1625]).toBe('zoom');
  });

  it('finds every word of every list at its index, composed or decomposed, accents typed or not', () => {
    for (let list = 0; list < LATIN_LISTS; list++) {
      WORDS[list as List].forEach((w, i) => {
        expect(latinIndex(list, w.normalize('NFC'))).toBe(i);
        expect(latinIndex(list, w.normalize('NFKD'))).toBe(i);
        expect(latinIndex(list, w.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase())).toBe(i);
      });
    }
    for (const list of [List.Japanese, List.Korean] as const) {
      WORDS[list].forEach((w, i) => {
        expect(composedWordIndex(list, w.normalize('NFC'))).toBe(i);
        expect(composedWordIndex(list, w)).toBe(i);
      });
    }
    WORDS[List.SimplifiedChinese].forEach((w, i) => expect(SIMPLIFIED_INDEX[w.charCodeAt(0)]).toBe(i));
    WORDS[List.TraditionalChinese].forEach((w, i) => expect(TRADITIONAL_INDEX[w.charCodeAt(0)]).toBe(i));
  });

  it('resolves unique 4-letter prefixes as weak matches, and nothing else', () => {
    expect(latinRow('abil', 0, 4)).toBeLessThanOrEqual(-2);
    expect(latinIndex(List.English, 'abil')).toBe(WORDS[List.English].indexOf('ability'));
    expect(latinIndex(List.Spanish, 'abdo')).toBe(WORDS[List.Spanish].indexOf('abdomen'));
    expect(latinRow('able', 0, 4)).toBeGreaterThanOrEqual(0); // a whole word wins over a prefix
    expect(latinRow('xqzv', 0, 4)).toBe(-1);
    expect(latinRow('verificatioo', 0, 12)).toBe(-1);
    expect(latinIndex(List.Monero, 'verification')).toBe(MONERO_ENGLISH.indexOf('verification'));
  });
});
