// The word lists recovery phrases are written in, indexed for lookups that allocate nothing on the hot path.
//
// - The ten official BIP39 lists (github.com/bitcoin/bips/blob/master/bip-0039/bip-0039-wordlists.md), as
//   shipped by @scure/bip39. Wallets compare words after NFKD normalization; people type accents or leave them
//   out ("átomo", "atomo"), so Latin words are keyed without their combining marks, case-folded. The Latin lists
//   (English, Spanish, French, Italian, Portuguese, Czech) are unique by their first four letters, which is what
//   metal backups stamp: a 4-letter token that is no whole word resolves through its prefix (a "weak" match).
//   Japanese (hiragana) and Korean (Hangul) words are keyed by their NFC form: the lists are stored NFKD
//   (decomposed voicing marks, jamo) while keyboards type composed characters. The two Chinese lists are one
//   character per word.
// - Monero's English list (1626 words, src/mnemonics/english.h of github.com/monero-project/monero, shipped as
//   data in monero-english.txt): 25-word seeds whose last word is a checksum word.
import { readFileSync } from 'node:fs';
import { wordlist as czech } from '@scure/bip39/wordlists/czech.js';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as french } from '@scure/bip39/wordlists/french.js';
import { wordlist as italian } from '@scure/bip39/wordlists/italian.js';
import { wordlist as japanese } from '@scure/bip39/wordlists/japanese.js';
import { wordlist as korean } from '@scure/bip39/wordlists/korean.js';
import { wordlist as portuguese } from '@scure/bip39/wordlists/portuguese.js';
import { wordlist as simplifiedChinese } from '@scure/bip39/wordlists/simplified-chinese.js';
import { wordlist as spanish } from '@scure/bip39/wordlists/spanish.js';
import { wordlist as traditionalChinese } from '@scure/bip39/wordlists/traditional-chinese.js';

/** Word list ids. The Latin-script lists come first (their ids index a row of LATIN_ROWS). */
export const enum List {
  English = 0,
  Spanish = 1,
  French = 2,
  Italian = 3,
  Portuguese = 4,
  Czech = 5,
  Monero = 6,
  SimplifiedChinese = 7,
  TraditionalChinese = 8,
  Japanese = 9,
  Korean = 10,
}
export const LATIN_LISTS = 7;
export const BIP39_LATIN = [List.English, List.Spanish, List.French, List.Italian, List.Portuguese, List.Czech] as const;

export const MONERO_ENGLISH: readonly string[] = readFileSync(new URL('./monero-english.txt', import.meta.url), 'utf8')
  .trim()
  .split('\n');

/** Every list's words in index order (BIP39 lists as published, NFKD). */
export const WORDS: Record<List, readonly string[]> = {
  [List.English]: english,
  [List.Spanish]: spanish,
  [List.French]: french,
  [List.Italian]: italian,
  [List.Portuguese]: portuguese,
  [List.Czech]: czech,
  [List.Monero]: MONERO_ENGLISH,
  [List.SimplifiedChinese]: simplifiedChinese,
  [List.TraditionalChinese]: traditionalChinese,
  [List.Japanese]: japanese,
  [List.Korean]: korean,
};

// --- Latin words -------------------------------------------------------------------------------------------------

/** Letter value 1-26 of a Latin letter (accents dropped), 0 for one with no ASCII base (ß, ø, æ…), -1 for a mark. */
export const LETTER = new Int8Array(0x370);
for (let c = 0; c < 0x370; c++) {
  if (c >= 0x300) {
    LETTER[c] = -1;
    continue;
  }
  const base = String.fromCharCode(c).normalize('NFKD').charCodeAt(0) | 32;
  LETTER[c] = base >= 97 && base <= 122 && String.fromCharCode(c).normalize('NFKD').length <= 2 ? base - 96 : 0;
}

/** Longest Latin word any list holds (Monero's "verification"); longer tokens are never looked up. */
export const MAX_LATIN = 12;

/**
 * A base-27 number of a Latin word's letters (accents and case dropped) for text[start, end), or -1 when the
 * word has a letter without an ASCII base or more than MAX_LATIN letters. 27^12 exceeds 2^53, so a 12-letter
 * key is not exact: twelve-letter tokens are confirmed against the word itself (see latinRow).
 */
export function latinKey(text: string, start: number, end: number): number {
  let key = 0;
  let letters = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 0x370 ? (LETTER[c] ?? 0) : 0;
    if (v < 0) continue;
    if (v === 0 || ++letters > MAX_LATIN) return -1;
    key = key * 27 + v;
  }
  return key;
}
const plain = (word: string): string => word.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

// Keys of the list words are computed straight from the words: latinKey reads an accented letter the same
// whether it is composed or decomposed, so no normalize() call is needed. That keeps this module's start-up
// (paid by every scan worker thread) to a few milliseconds over ~14,000 words.

/** Offset of the fifth letter of `word` (combining marks are not letters), or -1 when it has four or fewer. */
function fifthLetter(word: string): number {
  let letters = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0x300 && c <= 0x36f) continue;
    if (++letters === 5) return i;
  }
  return -1;
}

/**
 * Open-addressing hash table from word keys (exact doubles) to rows: the hot lookup of latinRow, several
 * times faster than a Map keyed by numbers beyond the small-integer range.
 */
class KeyTable {
  private readonly keys = new Float64Array(1 << 16);
  private readonly rows = new Int32Array(1 << 16).fill(-1);
  private readonly mask = (1 << 16) - 1; // at most ~14,000 keys: a quarter full or less
  private static hash(key: number): number {
    // Low and high parts of the key mixed; keys are below 2^57, so both parts are exact. `key | 0` is the low 32
    // bits (ToInt32 reduces modulo 2^32) without a floating-point remainder, which V8 computes by a C call.
    const low = key | 0;
    const high = (key / 0x100000000) | 0;
    return Math.imul(low ^ Math.imul(high, 0x27d4eb2d), 0x9e3779b1) >>> 12;
  }
  /** The row for `key`, or -1. */
  get(key: number): number {
    let i = KeyTable.hash(key) & this.mask;
    for (;;) {
      const row = this.rows[i] ?? -1;
      if (row === -1) return -1;
      if (this.keys[i] === key) return row;
      i = (i + 1) & this.mask;
    }
  }
  /** The row for `key`, which gets row `next` when it has none yet. */
  getOrAdd(key: number, next: number): number {
    let i = KeyTable.hash(key) & this.mask;
    for (;;) {
      const row = this.rows[i] ?? -1;
      if (row === -1) break;
      if (this.keys[i] === key) return row;
      i = (i + 1) & this.mask;
    }
    this.keys[i] = key;
    this.rows[i] = next;
    return next;
  }
}
const WHOLE_TABLE = new KeyTable();
const PREFIX_TABLE = new KeyTable();

// One row per distinct whole word and per distinct 4-letter prefix of the Latin lists, at most.
const MAX_ROWS = BIP39_LATIN.length * 2048 * 2 + MONERO_ENGLISH.length;
/** LATIN_ROWS[row * LATIN_LISTS + list]: the word's index in that list, or -1. */
export const LATIN_ROWS = new Int16Array(MAX_ROWS * LATIN_LISTS).fill(-1);
let rowCount = 0;
function rowFor(table: KeyTable, key: number): number {
  const row = table.getOrAdd(key, rowCount);
  if (row === rowCount) rowCount++;
  return row;
}
for (let list = 0; list < LATIN_LISTS; list++) {
  const words = WORDS[list as List];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    LATIN_ROWS[rowFor(WHOLE_TABLE, latinKey(word, 0, word.length)) * LATIN_LISTS + list] = i;
  }
}
// Prefixes after every whole word, so a prefix row never shadows a whole word of another list.
for (const list of BIP39_LATIN) {
  const words = WORDS[list];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const fifth = fifthLetter(word);
    if (fifth >= 0) LATIN_ROWS[rowFor(PREFIX_TABLE, latinKey(word, 0, fifth)) * LATIN_LISTS + list] = i; // first four letters
  }
}
const TWELVE = new Map<number, string>();
for (let list = 0; list < LATIN_LISTS; list++) {
  // A word's plain form is never longer than the word.
  for (const w of WORDS[list as List]) if (w.length >= MAX_LATIN && plain(w).length === MAX_LATIN) TWELVE.set(latinKey(w, 0, w.length), plain(w));
}

/**
 * The row of LATIN_ROWS for a Latin token text[start, end), or -1 when no list holds it. A row found only
 * through a 4-letter prefix is returned as -(row + 2) so callers can tell whole words from prefixes.
 */
export function latinRow(text: string, start: number, end: number): number {
  const key = latinKey(text, start, end);
  if (key < 0) return -1;
  const row = WHOLE_TABLE.get(key);
  if (row >= 0) {
    if (key >= 27 ** 11) {
      const twelve = TWELVE.get(key);
      if (twelve !== undefined && plain(text.slice(start, end)) !== twelve) return -1;
    }
    return row;
  }
  if (key >= 27 ** 3 && key < 27 ** 4) {
    const prefix = PREFIX_TABLE.get(key);
    if (prefix >= 0) return -(prefix + 2);
  }
  return -1;
}

// --- Han, kana, Hangul -------------------------------------------------------------------------------------------

function hanIndex(words: readonly string[]): Int16Array {
  const index = new Int16Array(0x10000).fill(-1);
  words.forEach((w, i) => {
    index[w.charCodeAt(0)] = i;
  });
  return index;
}
export const SIMPLIFIED_INDEX = hanIndex(simplifiedChinese);
export const TRADITIONAL_INDEX = hanIndex(traditionalChinese);

const composedIndex = (words: readonly string[]): Map<string, number> => new Map(words.map((w, i) => [w.normalize('NFC'), i]));
// Built at the first lookup: composing 4,096 words costs a few milliseconds, which every scan worker thread
// would otherwise pay at start-up, and most message streams hold no Japanese or Korean phrase.
let JAPANESE_INDEX: Map<string, number> | null = null;
let KOREAN_INDEX: Map<string, number> | null = null;

/** Index of a kana (Japanese) or Hangul (Korean) token in its list, or -1; any normalization form is accepted. */
export function composedWordIndex(list: List.Japanese | List.Korean, token: string): number {
  const index = list === List.Japanese ? (JAPANESE_INDEX ??= composedIndex(japanese)) : (KOREAN_INDEX ??= composedIndex(korean));
  return index.get(token) ?? index.get(token.normalize('NFC')) ?? -1;
}
