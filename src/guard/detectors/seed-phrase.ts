// Recovery phrases: the ten BIP39 word lists, Electrum seeds and Monero 25-word seeds.
//
// The text is read once as a stream of tokens: a Latin word (accents typed or not), one Han character, a kana
// word or a Hangul word. Tokens of one script joined by list-like separators (spaces, commas, newlines, any
// numbering, bullets, Markdown quotes, code fences, spoilers) form a segment; a segment is then read once per
// word list that holds enough of its tokens, and inside it consecutive list tokens form a run. A run becomes a
// finding when its evidence is strong enough:
//   - a window of 12/15/18/21/24 words with a valid BIP39 checksum; 12 English words that are a valid Electrum
//     seed (HMAC-SHA512 "Seed version" prefix); 25 Monero words whose last is the right checksum word;
//   - explicit framing ("seed phrase", "助记词", "frase de recuperación"...) near the run, which also tolerates
//     up to three misspelt or off-list words, a missing word, and 4-letter prefixes;
//   - numbering ("1. … 12. …", also with up to three damaged words), or 15-25 separated English or Chinese list
//     words in a row, which ordinary prose never produces.
// The Chinese lists are the 2048 most frequent characters, so ordinary Chinese prose is itself a long run of list
// characters. Phrases written without separators ("dense") are therefore only accepted when their characters
// look random: the list is ordered by frequency, so a real phrase has a high mean rank and few top-100
// characters, while prose is dominated by the most frequent ones. The words for secrets (助记词, 私钥, 密码,
// 验证码…) are rare characters, so a sentence listing them looks random too: they are labels, never part of a
// phrase, and end a segment (ZH_LABELS).
import { createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';
import * as lists from '../wordlists/index.ts';
import { List, WORDS } from '../wordlists/index.ts';
import * as util from './util.ts';
import type { Candidate, Detector } from './util.ts';

// Hot-path helpers bound once: calls through a module namespace cost a property lookup (a getter, once
// transpiled) per character otherwise.
const { composedWordIndex, LATIN_LISTS, LATIN_ROWS, latinRow, SIMPLIFIED_INDEX, TRADITIONAL_INDEX } = lists;
const { candidate, isCombiningMark, isHan, isHangul, isKana, isLatinLetter } = util;
// The list ids used on the hot path, as local constants (a const enum from another module is read through the
// module object once transpiled).
const EN: List = List.English;
const XMR: List = List.Monero;
const ZH_HANS: List = List.SimplifiedChinese;
const ZH_HANT: List = List.TraditionalChinese;
const JA: List.Japanese = List.Japanese;
const KO: List.Korean = List.Korean;
const ENGLISH_WORDS = WORDS[List.English];
const MONERO_WORDS = WORDS[List.Monero];

const BIP39_LENGTHS = [24, 21, 18, 15, 12] as const;
const MONERO_LENGTHS = [25] as const;
/** A framed phrase may be one word short; beyond 25 a run is prose or garbage, not one phrase. */
const MIN_FRAMED = 11;
const MAX_PHRASE = 25;
/** Misspelt or off-list words a framed or numbered phrase may hold. */
const MAX_DAMAGED = 3;

const enum Script {
  Latin,
  Han,
  Kana,
  Hangul,
}

/** Keywords that frame a phrase ("seed phrase", "助记词", "frase de recuperación"…), in every language we read. */
export const FRAMING = new RegExp(
  [
    // English
    String.raw`(?<![a-z])(?:seed\s*(?:phrase|words?|key)|my\s+seed(?:\s*(?:phrase|words?|key))?|seed(?=\s*[:=-])|mnemonic(?:\s*(?:phrase|words?|seed))?|(?:recovery|backup|secret(?:\s*recovery)?|wallet|restore|security|import|my|the|these)\s*(?:phrase|words?|seed)(?:\s*(?:phrase|words?))?|srp|(?:12|twelve|13|15|18|21|24|twenty[\s-]*four|25|twenty[\s-]*five)[\s-]*words?|passphrase|electrum\s+seed|monero\s+seed)(?![a-z])`,
    // Spanish, Portuguese, Italian, French, Czech
    String.raw`(?<![a-z])(?:frase\s+(?:de\s+)?(?:recupera[cç][ií][oóã]n?e?|semilla|semente|secreta|mnem[oó]nica|di\s+recupero|segreta)|(?:palabras|palavras|parole|mots)\s+(?:clave|secretas?|de\s+(?:recupera[cç][ií][oóã]n?|r[eé]cup[eé]ration|seguran[cç]a)|di\s+recupero|segrete)|semilla|mnem[oó]nic[oa]|phrase\s+(?:de\s+)?(?:r[eé]cup[eé]ration|secr[eè]te|mn[eé]monique)|mots?\s+de\s+passe\s+de\s+r[eé]cup|seed\s+frase|obnovovac[ií]\s+fr[aá]z[ei]|fr[aá]z[ei]\s+pro\s+obnovu|slova\s+pro\s+obnovu|seed\s+fr[aá]z[ei])(?![a-z])`,
    // Chinese (both scripts), Japanese, Korean
    String.raw`助[记記][词詞符码碼]?|[记記]憶?[忆憶]?[词詞]|恢[复復](?:短[语語]|[词詞]|种子|種子)|[种種]子(?:短[语語]|[词詞]|[码碼])|[备備]份(?:短[语語]|[词詞]|的?[单單][词詞])|私密恢[复復]|密[语語]|[钱錢]包(?:短[语語]|[词詞])|(?:12|24|十二|二十四)\s*个?個?(?:[单單][词詞]|[词詞])`,
    String.raw`リカバリー\s*フレーズ|シード\s*フレーズ|復元\s*フレーズ|ニーモニック|秘密の(?:リカバリー)?フレーズ|復元用?の?単語`,
    String.raw`복구\s*(?:문구|구문|단어)|시드\s*(?:문구|구문|단어)|니모닉|비밀\s*복구\s*구문`,
  ].join('|'),
  'gi',
);
/**
 * Chinese labels of secrets: the recovery-phrase keywords above and the words for key, password, code and ID.
 * Their characters are rare in prose, so to the frequency test a sentence about secrets ("请不要把助记词、私钥、
 * 密码或验证码告诉任何人") looks as random as a phrase. A label is what a phrase is called, never part of it: its
 * characters end a segment (see detectSeedPhrases). Two given characters are adjacent by chance in a random
 * phrase about once in four million positions.
 */
const ZH_LABELS = new RegExp(
  String.raw`助[记記][词詞符码碼]?|[记記]憶?[忆憶]?[词詞]|恢[复復](?:短[语語]|[词詞]|种子|種子)|[种種]子(?:短[语語]|[词詞]|[码碼])|[备備]份(?:短[语語]|[词詞]|的?[单單][词詞])|私密恢[复復]|密[语語]|[钱錢]包(?:短[语語]|[词詞])|(?:12|24|十二|二十四)\s*个?個?(?:[单單][词詞]|[词詞])` +
    String.raw`|私[钥鑰匙]|密[码碼钥鑰匙]|[验驗][证證][码碼]|[动動][态態][码碼]|[确確][认認][码碼]|口令|身[份分][证證](?:字?[号號]|[号號][码碼])?`,
  'g',
);

/** Start and end offsets of the Chinese labels in `text`, from `from` on, flattened [s0, e0, s1, e1, …]. */
function zhLabels(text: string, from: number): number[] {
  const spans: number[] = [];
  ZH_LABELS.lastIndex = from;
  for (let m = ZH_LABELS.exec(text); m; m = ZH_LABELS.exec(text)) spans.push(m.index, m.index + m[0].length);
  return spans;
}

/**
 * Labels of a part of a phrase, written between or before its words ("助记词第一部分：w1 … 第二部分：w7 …", "前六个",
 * "后半部分", "第1-6个", "part 2:", "segunda parte:", "deuxième partie :"), with a connective or colon after them:
 * never a word of a phrase; near a keyword, a separator between two of its words (see detectSeedPhrases).
 */
const PART_LABEL = new RegExp(
  [
    String.raw`(?:第\s*(?:[一二三四]|[1-4])\s*|[前后後上下]\s*半?\s*|另一?\s*)(?:部分|段|半|组|組)`,
    String.raw`[前后後]\s*(?:十一|[一二三四五六七八九十]|1[01]|[1-9])\s*[个個](?:[单單]?[词詞]|字)?`,
    String.raw`第\s*\d{1,2}\s*[-~至到]\s*\d{1,2}\s*[个個]?(?:[单單]?[词詞]|字)?`,
    String.raw`(?<![A-Za-zÀ-ɏ])(?:(?:part|parte|partie|half|mitad|metade|met[aà]|moiti[eé])\s*#?\s*(?:\d{1,2}|one|two|three|uno|dos|tres|une|deux|trois|um|dois|due)|(?:first|second|third|other|last|1st|2nd|3rd|primera|segunda|tercera|otra|[uú]ltima|premi[eè]re|deuxi[eè]me|troisi[eè]me|seconde|derni[eè]re|autre|1re|2e|prima|seconda|terza|altra|primeira|terceira|outra)\s+(?:part|half|parte|mitad|partie|moiti[eé]|met[aà]|metade))(?![A-Za-zÀ-ɏ])(?:\s+(?:is|are|es|est|[eè]|[eé]))?`,
  ]
    .map((label) => `(?:${label})`)
    .join('|') + String.raw`(?:\s*(?:是|为|為))?\s*[:=]?`,
  'gi',
);
/** Every PART_LABEL holds one of these. */
const PART_ANCHOR = /部分|[前后後上下]\s*半|[段组組]|[个個]|part|half|mitad|metade|met[aà]|moiti/i;

/** Start and end offsets of the part labels in `text`, flattened [s0, e0, s1, e1, …] (see PART_LABEL). */
export function partLabels(text: string): number[] {
  const spans: number[] = [];
  if (!PART_ANCHOR.test(text)) return spans;
  PART_LABEL.lastIndex = 0;
  for (let m = PART_LABEL.exec(text); m; m = PART_LABEL.exec(text)) spans.push(m.index, m.index + m[0].length);
  return spans;
}

/** Every FRAMING keyword holds one of these: most texts are ruled out by a fast literal search. */
export const FRAMING_ANCHOR =
  /seed|phrase|word|mnem|srp|frase|fr[aá]z|palabra|palavra|parole|mots|semill|slova|[记記][词詞忆憶]|助|恢[复復]|[种種]子|[备備]份|密[语語]|包[短词詞]|[单單]?[词詞]|フレーズ|ニーモニック|単語|문구|구문|단어|니모닉/i;
/** Characters that join "助记词" to the phrase itself ("助记词是…", "助记词如下…"). */
const ZH_CONNECTORS = new Set(['是', '为', '為', '如', '下', '就']);

const enum Gap {
  Break,
  Separator,
  Numbered,
  Adjacent,
}
// Between two words of a phrase: spaces, punctuation used as separators, bullets, Markdown quotes and fences,
// Discord spoilers (||…||), keycap numbers' variation selectors; then optionally a number in any style
// ("1.", "(1)", "#1", "01)", "1/", "1-", "①").
// Emoji (U+1F000–1FBFF: high surrogates D83C–D83E, and any low surrogate) separate too: "w1 🔑 w2 🔑 …".
const SEP = String.raw`[\s,;|/\\\-–—•·*"'\x60“”‘’、>+~_=?!◦▪‣→\u2022\ufe0f\u20e3\ud83c-\ud83e\udc00-\udfff]`;
const NUMBER = String.raw`[(\[#]?\d{1,2}[)\].:、/\-]?|[\u2460-\u2473\u2776-\u277f\u24f5-\u24fe\u3251-\u325f]`;
// Up to two numbers: an entry that is only punctuation ("6. ???") sits between two words.
const GAP = new RegExp(`${SEP}*(?:(?:${NUMBER})${SEP}*){0,2}`, 'y');
const HAS_NUMBER = /\d|[\u2460-\u2473\u2776-\u277f\u24f5-\u24fe\u3251-\u325f]/;
/** Every character a gap between two words of a phrase may hold (SEP and NUMBER): any other one breaks it. */
/** A character that separates two words of a phrase by itself (SEP); a gap of these alone never breaks one. */
export const SEPARATOR_CHARACTER = new RegExp(SEP);
export const GAP_CHARACTER = new RegExp(`${SEP}|[(\\[#\\d)\\].:、/\\-]|[\\u2460-\\u2473\\u2776-\\u277f\\u24f5-\\u24fe\\u3251-\\u325f]`);

// Between two Han characters a colon separates too: it ends a part label ("第二部分：") or a short list head.
const GAP_HAN = new RegExp(`(?:${SEP}|:)*(?:(?:${NUMBER})(?:${SEP}|:)*){0,2}`, 'y');

function gapKind(text: string, from: number, to: number, script: Script): Gap {
  if (to === from) return Gap.Adjacent;
  if (to - from === 1) {
    const c = text.charCodeAt(from);
    if (c === 32 || c === 10 || c === 44 || (c === 58 && script === Script.Han)) return Gap.Separator;
  }
  if (to - from > 16) return Gap.Break;
  const re = script === Script.Han ? GAP_HAN : GAP;
  re.lastIndex = from;
  if (!re.test(text) || re.lastIndex !== to) return Gap.Break;
  // A number, or a bullet or quote marker opening a line ("\n- ", "\n> "): the words are listed one by one.
  const gap = text.slice(from, to);
  return HAS_NUMBER.test(gap) || LINE_MARKER.test(gap) ? Gap.Numbered : Gap.Separator;
}
export const LINE_MARKER = /\n[ \t]*[-*•>+◦▪‣]/;
/** Whether `gap` (normalized text between two Han characters) ends a segment, as gapKind decides. */
export const breaksPhrase = (gap: string): boolean => gapKind(gap, 0, gap.length, Script.Han) === Gap.Break;

/** Entropy and checksum bits of the phrase being checked (33 bytes for 24 words), reused by every check. */
const ENTROPY = new Uint8Array(33);

/** BIP39 checksum over word indices idx[s, s+n). */
function bip39Valid(idx: Int32Array, s: number, n: number): boolean {
  const entropyBytes = (n / 3) * 4;
  const checksumBits = n / 3;
  const bytes = ENTROPY;
  let acc = 0;
  let bits = 0;
  let pos = 0;
  for (let k = s; k < s + n; k++) {
    acc = (acc << 11) | (idx[k] ?? 0);
    bits += 11;
    while (bits >= 8) {
      bits -= 8;
      bytes[pos++] = (acc >>> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) bytes[pos] = (acc << (8 - bits)) & 0xff;
  return (bytes[entropyBytes] ?? 0) >> (8 - checksumBits) === sha256FirstByte(bytes, entropyBytes) >> (8 - checksumBits);
}

// SHA-256 (FIPS 180-4) of one block. A BIP39 entropy is at most 32 bytes, so its hash is one compression of one
// padded block: about 0.3 µs here, with no allocation, where a node:crypto call costs about 1 µs (mostly its fixed
// cost, and a Buffer per call). A scan checks tens of thousands of windows.
const SHA256_K = Int32Array.from(
  [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
  ],
  (k) => k | 0,
);
/** The message schedule of the block being hashed. */
const SHA256_W = new Int32Array(64);

/** First byte of the SHA-256 of data[0, length), for length <= 55 (one block). */
export function sha256FirstByte(data: Uint8Array, length: number): number {
  const w = SHA256_W;
  w.fill(0, 0, 16);
  for (let i = 0; i < length; i++) w[i >> 2]! |= (data[i] ?? 0) << (24 - 8 * (i & 3));
  w[length >> 2]! |= 0x80 << (24 - 8 * (length & 3));
  w[15] = length * 8;
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15] ?? 0;
    const y = w[i - 2] ?? 0;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] ?? 0) + s0 + (w[i - 7] ?? 0) + s1;
  }
  let a = 0x6a09e667 | 0;
  let b = 0xbb67ae85 | 0;
  let c = 0x3c6ef372 | 0;
  let d = 0xa54ff53a | 0;
  let e = 0x510e527f | 0;
  let f = 0x9b05688c | 0;
  let g = 0x1f83d9ab | 0;
  let h = 0x5be0cd19 | 0;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + (SHA256_K[i] ?? 0) + (w[i] ?? 0)) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  return ((a + 0x6a09e667) >>> 24) & 0xff;
}

/**
 * Electrum's own seeds (electrum/mnemonic.py): the HMAC-SHA512 of the normalized phrase keyed "Seed version"
 * starts with the hex prefix of a seed type: 01 standard, 100 segwit, 101 / 102 two-factor.
 */
function electrumValid(idx: Int32Array, s: number, n: number): boolean {
  const words: string[] = [];
  for (let k = s; k < s + n; k++) words.push(ENGLISH_WORDS[idx[k] ?? 0] ?? '');
  const d = createHmac('sha512', 'Seed version').update(words.join(' ')).digest();
  const d0 = d[0] ?? 0;
  const d1 = (d[1] ?? 0) >> 4;
  return d0 === 0x01 || (d0 === 0x10 && d1 <= 2);
}

/**
 * Monero (src/mnemonics/electrum-words.cpp): the 25th word repeats word crc32(first three letters of the 24
 * words, concatenated) mod 24.
 */
function moneroValid(idx: Int32Array, s: number): boolean {
  const words = MONERO_WORDS;
  let prefixes = '';
  for (let k = s; k < s + 24; k++) prefixes += (words[idx[k] ?? 0] ?? '').slice(0, 3);
  const at = crc32(prefixes) % 24;
  return idx[s + at] === idx[s + 24];
}

/** `electrum`: also accept an Electrum seed (only for a whole run or a framed one: its check is 8 bits). */
function checksumValid(list: List, idx: Int32Array, s: number, n: number, electrum: boolean): boolean {
  if (list === XMR) return n === 25 && moneroValid(idx, s);
  if (bip39Valid(idx, s, n)) return true;
  return electrum && list === EN && n === 12 && electrumValid(idx, s, n);
}

/**
 * Whether dense Chinese characters look random rather than like prose (see the header). `long`: a window of 18 or
 * more characters whose checksum is checked next (6-8 bits) may hold a few more frequent characters: a random
 * 24-character phrase has about one top-100 character, prose about ten, and 1% of real phrases have five.
 */
function looksRandom(idx: Int32Array, s: number, e: number, long = false): boolean {
  let sum = 0;
  let frequent = 0;
  let count = 0;
  for (let k = s; k < e; k++) {
    const i = idx[k] ?? -1;
    if (i < 0) continue;
    sum += i;
    count++;
    if (i < 100) frequent++;
  }
  if (long) return count > 0 && sum / count >= 450 && frequent <= Math.ceil(count / 4);
  return count > 0 && sum / count >= 550 && frequent <= Math.max(2, Math.ceil(count / 6));
}

// SEEN[word] === stamp marks a word already counted by the current distinct() call: no Set per call.
const SEEN = new Int32Array(2048);
let stamp = 0;

/** How many different words idx[s, e) holds (indices of one list, all >= 0). */
function distinct(idx: Int32Array, s: number, e: number): number {
  stamp++;
  let count = 0;
  for (let k = s; k < e; k++) {
    const word = idx[k] ?? 0;
    if (SEEN[word] !== stamp) {
      SEEN[word] = stamp;
      count++;
    }
  }
  return count;
}

/**
 * Whether the list words of idx[s, e) (off-list tokens, -1, skipped) repeat more than a random phrase's do: more
 * than two repeats ("hello world hello world …", "test test test …"). Without a checksum or a keyword, such text
 * is a test or a joke, not a phrase; a random 24-word phrase repeats a word about once in eight.
 */
function repetitive(idx: Int32Array, s: number, e: number): boolean {
  stamp++;
  let words = 0;
  let different = 0;
  for (let k = s; k < e; k++) {
    const word = idx[k] ?? -1;
    if (word < 0) continue;
    words++;
    if (SEEN[word] !== stamp) {
      SEEN[word] = stamp;
      different++;
    }
  }
  return different < words - 2;
}

/** Tokens a segment has room for before its arrays grow: 8 arrays, 128 KiB in all. */
const SEGMENT_CAPACITY = 4096;

/**
 * Tokens of one segment, in parallel typed arrays: segments can be long and this loop is the hot path.
 * The arrays are replaced when they grow; the constructor already replaces them once, so V8 knows from the start
 * that these fields change (a field first seen constant and changed later throws away every optimized function
 * that read it: a first segment of more than 64 tokens cost a dozen recompilations). They start with room for
 * SEGMENT_CAPACITY tokens, more than a chat message holds, so that growing stays off the path optimized code
 * has seen run (the first call to resize() from push() threw away detectSeedPhrases once more).
 */
class Segment {
  script = Script.Latin;
  /** The list the segment is being read in (idx and weak hold that list's view). */
  list = EN;
  length = 0;
  /** adjacentBefore[k]: how many of the gaps before tokens 1..k are Adjacent (no separator). */
  adjacentBefore: Int32Array = new Int32Array(0);
  start: Int32Array = new Int32Array(0);
  end: Int32Array = new Int32Array(0);
  /**
   * Han: the character. Latin: row in LATIN_ROWS (prefix rows as -(row + 2)), -1 for none; kana, Hangul: the
   * word's index in its list, or -1. Those are looked up only once the segment is long enough to be read
   * (lookUpWords): most segments of a message are a few words of prose.
   */
  key: Int32Array = new Int32Array(0);
  idx: Int32Array = new Int32Array(0);
  /** 1 where the token matched only through its 4-letter prefix. */
  weak: Uint8Array = new Uint8Array(0);
  gap: Uint8Array = new Uint8Array(0);
  /** 1 for each token already reported (in any list): see emit(). */
  emitted: Uint8Array = new Uint8Array(0);
  constructor() {
    this.resize(SEGMENT_CAPACITY);
  }
  clear(): void {
    this.length = 0;
  }
  push(script: Script, start: number, end: number, key: number, gap: Gap): void {
    if (this.length === this.start.length) this.resize(this.length * 2);
    const k = this.length++;
    this.script = script;
    this.start[k] = start;
    this.end[k] = end;
    this.key[k] = key;
    this.gap[k] = gap;
    this.adjacentBefore[k] = (k > 0 ? (this.adjacentBefore[k - 1] ?? 0) : 0) + (gap === Gap.Adjacent ? 1 : 0);
  }
  private resize(capacity: number): void {
    const int32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    const uint8 = (a: Uint8Array): Uint8Array => {
      const b = new Uint8Array(capacity);
      b.set(a);
      return b;
    };
    this.start = int32(this.start);
    this.end = int32(this.end);
    this.key = int32(this.key);
    this.idx = int32(this.idx);
    this.weak = uint8(this.weak);
    this.gap = uint8(this.gap);
    this.adjacentBefore = int32(this.adjacentBefore);
    this.emitted = uint8(this.emitted);
  }
  /** Whether any two tokens inside [s, e) touch without a separator. */
  dense(s: number, e: number): boolean {
    return e - s >= 2 && (this.adjacentBefore[e - 1] ?? 0) - (this.adjacentBefore[s] ?? 0) > 0;
  }
  numberedGaps(s: number, e: number): number {
    let count = 0;
    for (let k = s + 1; k < e; k++) if (this.gap[k] === Gap.Numbered) count++;
    return count;
  }
  weakCount(s: number, e: number): number {
    let count = 0;
    for (let k = s; k < e; k++) count += this.weak[k] ?? 0;
    return count;
  }
}

/** Framing keywords of one text, found lazily (most texts never have a run long enough to need them). */
class Framing {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  constructor(text: string) {
    // No FRAMING_ANCHOR test first: the texts read this far hold a phrase-long run of list words, and most of them a
    // keyword too, so the test would cost about what it saves.
    FRAMING.lastIndex = 0;
    for (let m = FRAMING.exec(text); m; m = FRAMING.exec(text)) {
      this.starts.push(m.index);
      this.ends.push(m.index + m[0].length);
    }
  }
  /** Index of the first keyword ending at or after `pos` (binary search). */
  private firstEndingFrom(pos: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.ends[mid] ?? 0) < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** A keyword within 120 characters before `from` or 60 after `to`. */
  near(from: number, to: number): boolean {
    const k = this.firstEndingFrom(from - 120);
    return k < this.ends.length && (this.starts[k] ?? Infinity) < to + 60;
  }
  /** End of the last keyword ending at or before `pos`, or -1. */
  lastEndBefore(pos: number): number {
    const k = this.firstEndingFrom(pos + 1) - 1;
    return k >= 0 ? (this.ends[k] ?? -1) : -1;
  }
  /** End of a keyword that ends inside (from, to], or -1: "seed phrase abandon …" frames from within. */
  endInside(from: number, to: number): number {
    const k = this.firstEndingFrom(from + 1);
    const end = this.ends[k];
    return end !== undefined && end <= to ? end : -1;
  }
}

interface Scan {
  text: string;
  seg: Segment;
  out: Candidate[];
  framing: Framing | null;
}

const framingOf = (scan: Scan): Framing => (scan.framing ??= new Framing(scan.text));
const isChinese = (list: List) => list === ZH_HANS || list === ZH_HANT;

/** Reports tokens [s, e) unless another list already took some of them (the list holding most tokens goes first). */
function emit(scan: Scan, s: number, e: number): void {
  const { seg } = scan;
  if (overlapsEmitted(scan, s, e)) return;
  scan.out.push(candidate('seed_phrase', seg.start[s] ?? 0, seg.end[e - 1] ?? 0));
  seg.emitted.fill(1, s, e);
}
function overlapsEmitted(scan: Scan, s: number, e: number): boolean {
  const { emitted } = scan.seg;
  for (let k = s; k < e; k++) if (emitted[k] === 1) return true;
  return false;
}

/** Start of the phrase proper when a keyword sits at the head of run [a, b): "seed phrase abandon …". */
function afterLeadingKeyword(scan: Scan, a: number, b: number): number {
  const { seg } = scan;
  const head = Math.min(b, a + 8) - 1;
  const kwEnd = framingOf(scan).endInside(seg.start[a] ?? 0, seg.end[head] ?? 0);
  if (kwEnd < 0) return -1;
  let s = a;
  while (s < b && (seg.start[s] ?? 0) < kwEnd) s++;
  return s;
}

/** Longest framed run in which a phrase is looked for at every position. */
const FRAMED_SEARCH_MAX = 64;
/** Unframed, a phrase is looked for at these offsets from the start of its run and from its end. */
const EDGE_OFFSETS = 4;

/** Evaluates a run [a, b) of list tokens; returns whether it produced a finding. */
function evaluateRun(scan: Scan, a: number, b: number, framedHint: boolean | null = null): boolean {
  const { seg } = scan;
  const list = seg.list;
  const runStart = a;
  let framed = framedHint ?? false;
  if (framedHint === null) {
    const trimmed = afterLeadingKeyword(scan, a, b);
    if (trimmed >= 0) {
      a = trimmed;
      framed = true;
    } else {
      framed = framingOf(scan).near(seg.start[a] ?? 0, seg.end[b - 1] ?? 0);
    }
  }
  // "助记词是…": the connector after the keyword is not part of the phrase.
  if (isChinese(list)) while (b - a > 12 && ZH_CONNECTORS.has(scan.text[seg.start[a] ?? 0] ?? '')) a++;
  const length = b - a;
  // Unframed, 12 words at least, or 11 numbered ones (an entry of the list unreadable).
  if (length < MIN_FRAMED || (!framed && length < 12 && seg.numberedGaps(a, b) < length - 2)) return false;

  for (const n of list === XMR ? MONERO_LENGTHS : BIP39_LENGTHS) {
    if (n > length) continue;
    // Unframed, a phrase must sit at (or next to) an edge of its run: starts a, b - n, a + 1, b - n - 1, …
    // Framed ("my recovery phrase is …, please help"), the sentence around it may be made of list words too and
    // the phrase can sit anywhere in a short run: try every start there (runs are bounded, so this stays linear).
    const everywhere = framed && length <= FRAMED_SEARCH_MAX;
    const tries = everywhere ? b - n - a + 1 : 2 * EDGE_OFFSETS;
    for (let t = 0; t < tries; t++) {
      const s = everywhere ? a + t : t % 2 === 0 ? a + t / 2 : b - n - (t - 1) / 2;
      // Its end, computed once: an expression only a rare branch reaches (what is left after a phrase) has no type
      // feedback when TurboFan compiles this function, and reaching it later threw the compiled code away.
      const e = s + n;
      if (s < a || e > b) continue;
      // In a run barely longer than n the two edges' starts meet: skip a start the other edge already tried.
      if (!everywhere && (t % 2 === 0 ? s > b - n - t / 2 : s <= a + (t - 1) / 2)) continue;
      const dense = seg.dense(s, e);
      // Unframed dense Chinese must be exactly the whole run: a window cut out of prose proves nothing.
      if (dense && !framed && !(s === runStart && e === b)) continue;
      if (dense && !looksRandom(seg.idx, s, e, n >= 18)) continue;
      // A window cut out of a longer run must also look like a phrase, not a word repeated ("word word …"),
      // unless a line break or a comma sets it apart from the rest ("abandon … about\n\nsent from my iPhone").
      if ((s !== runStart || e !== b) && distinct(seg.idx, s, e) < n / 2 && !setApart(scan, s, e, runStart, b)) continue;
      if (!checksumValid(list, seg.idx, s, n, framed || (s === runStart && e === b))) continue;
      emit(scan, s, e);
      // Two phrases pasted back to back: look at what is left on either side (bounded, not for long runs).
      if (length <= 64) {
        if (s - a >= 12) evaluateRun(scan, a, s, framed);
        if (b - e >= 12) evaluateRun(scan, e, b, framed);
      }
      return true;
    }
  }

  // No checksum: framing, numbering or sheer length must carry the decision.
  const e = Math.min(b, a + MAX_PHRASE);
  const len = e - a;
  const dense = seg.dense(a, e);
  if (dense && !looksRandom(seg.idx, a, e)) return false;
  const whole = b - a <= MAX_PHRASE;
  const numbered = seg.numberedGaps(a, e) >= len - 2;
  // Sheer length only for the lists it was measured on; prefixes only count when something else vouches.
  const long = !dense && len >= 15 && (list === EN || isChinese(list)) && seg.weakCount(a, e) <= 2;
  if (framed || (whole && ((len >= 11 && numbered) || (len >= 12 && long)) && !repetitive(seg.idx, a, e))) {
    emit(scan, framed ? damagedBefore(scan, a) : a, e);
    return true;
  }
  return false;
}

/**
 * Whether window [s, e) of run [a, b) is set apart from the rest of the run: each edge that is not the run's is
 * a gap holding a line break or a comma that no gap inside the window holds ("Hello team, test … junk").
 */
function setApart(scan: Scan, s: number, e: number, a: number, b: number): boolean {
  const { seg, text } = scan;
  const marks = (from: number, to: number): number => {
    const gap = text.slice(from, to);
    return (gap.includes('\n') ? 1 : 0) | (gap.includes(',') ? 2 : 0);
  };
  let inner = 0;
  for (let k = s + 1; k < e; k++) inner |= marks(seg.end[k - 1] ?? 0, seg.start[k] ?? 0);
  const edge = (k: number): boolean => (marks(seg.end[k - 1] ?? 0, seg.start[k] ?? 0) & ~inner) !== 0;
  return (s === a || edge(s)) && (e === b || edge(e));
}

/**
 * Where a framed Latin phrase starting at token a really starts: misspelt words between its keyword and a
 * ("my seed phrase is infantx radioy caution …") are its first words, at most MAX_DAMAGED of them; connectives
 * ("is") are not.
 */
function damagedBefore(scan: Scan, a: number, most = MAX_DAMAGED): number {
  const { seg } = scan;
  if (seg.script !== Script.Latin) return a;
  const keywordEnd = framingOf(scan).lastEndBefore(seg.start[a] ?? 0);
  let s = a;
  while (a - s < most && s > 0 && (seg.start[s - 1] ?? 0) >= keywordEnd && isDamagedWord(scan, s - 1)) s--;
  return s < a && keywordRightBefore(scan, s) && !overlapsEmitted(scan, s, a) ? s : a;
}

/** Whether token k is off the list yet may be a damaged word of the phrase (see mayBeDamagedWord). */
const isDamagedWord = (scan: Scan, k: number): boolean => (scan.seg.idx[k] ?? -1) < 0 && mayBeDamagedWord(scan, k);

/**
 * Whether a keyword ends right before token k: nothing between them but connectives ("is", "are", 是) and
 * punctuation, in at most 24 characters ("my seed phrase is …", "recovery phrase: …").
 */
function keywordRightBefore(scan: Scan, k: number): boolean {
  const start = scan.seg.start[k] ?? 0;
  const end = framingOf(scan).lastEndBefore(start);
  if (end < 0 || start - end > 24) return false;
  const between = scan.text.slice(end, start).toLowerCase().split(/[\s:：,，=-]+/);
  return between.every((w) => w === '' || CONNECTIVES.has(w) || ZH_CONNECTORS.has(w));
}

// Words that join a framing sentence to the phrase ("my seed phrase is …"): never taken for a damaged word.
const CONNECTIVES = new Set(
  (
    'is are was were be the and but for with from here below its his her our your their them they this that these those ' +
    'please help thanks thank pls what why how can you not are also just still now then have has had got' +
    ' es son era mis tus las los del una uno por para con que pero ' +
    'est sont les des une pour avec mais mes tes ' +
    'sono gli della per con che mio mia ' +
    'são meu minha uma com ' +
    'jsou moje moji ' +
    'is to my me it in of on at an as be by do go he if no or so up us we am ok hi pl ' +
    'de la el en lo se un le et il ne da di ho em na je to'
  ).split(' '),
);

/**
 * Whether the off-list token k could be a damaged word of a phrase (a typo, a smudged word), not a connector.
 * `alone`: list words on both sides, so a typo may spell a connective too ("clip, script, ne, next": "net").
 */
function mayBeDamagedWord(scan: Scan, k: number, alone = false): boolean {
  const { seg, text } = scan;
  if (seg.script === Script.Han) return true;
  const length = (seg.end[k] ?? 0) - (seg.start[k] ?? 0);
  if (seg.script !== Script.Latin) return length <= 6;
  if (length < 2 || length > 12) return false;
  return alone || !CONNECTIVES.has(text.slice(seg.start[k], seg.end[k]).toLowerCase());
}

/**
 * Damaged phrases: list runs joined by single off-list words ("planet throw demise spelle gaze …"), at most
 * MAX_DAMAGED of them, taken when the phrase is framed or numbered. The window starts at the first list word
 * after any leading keyword and is the longest valid phrase length that fits (so trailing "please help" stays
 * out), or the whole cluster when shorter.
 */
function evaluateDamaged(scan: Scan, a: number, b: number): void {
  const { seg } = scan;
  const trimmed = afterLeadingKeyword(scan, a, b);
  if (trimmed >= 0) a = trimmed;
  // Right after a keyword the phrase may start with a misspelt word; "is" and other connectives are not in it.
  while (a < b && (seg.idx[a] ?? -1) < 0 && !(trimmed >= 0 && seg.script === Script.Latin && mayBeDamagedWord(scan, a))) a++;
  while (b > a && (seg.idx[b - 1] ?? -1) < 0) b--;
  // Misspelt words between a keyword and the cluster are the phrase's first words.
  const start = trimmed >= 0 ? a : damagedBefore(scan, a);
  const keyword = trimmed >= 0 || start < a || keywordRightBefore(scan, a);
  a = start;
  // …and, after a keyword, misspelt words right after it its last ones, up to 12 words.
  if (keyword && seg.script === Script.Latin) {
    while (b - a < 12 && b < seg.length && isDamagedWord(scan, b)) b++;
  }
  const n = b - a;
  if (n < MIN_FRAMED) return;
  let size = n <= 12 ? n : 12;
  if (n > 12) for (const l of BIP39_LENGTHS) if (l <= n) {
    size = l;
    break;
  }
  if (!damagedWindow(scan, a, b, a, size, keyword)) damagedWindow(scan, a, b, b - size, size, keyword);
}

/** Emits the damaged window [s, s + size) of cluster [a, b) when it qualifies (see evaluateDamaged). */
function damagedWindow(scan: Scan, a: number, b: number, s: number, size: number, keyword: boolean): boolean {
  const { seg } = scan;
  const e = s + size;
  // Its first and last words are list words, unless a keyword heads it (a misspelt first or last word then).
  const listEdges = (seg.idx[s] ?? -1) >= 0 && (seg.idx[e - 1] ?? -1) >= 0;
  if (s < a || e > b || !(listEdges || (keyword && seg.script === Script.Latin))) return false;
  let bad = 0;
  for (let k = s; k < e; k++) if ((seg.idx[k] ?? -1) < 0) bad++;
  if (bad === 0 || bad > MAX_DAMAGED || overlapsEmitted(scan, s, e)) return false;
  if (seg.dense(s, e) && !looksRandom(seg.idx, s, e)) return false;
  const framed = keyword || framingOf(scan).near(seg.start[s] ?? 0, seg.end[e - 1] ?? 0);
  if (!framed && (seg.numberedGaps(s, e) < size - 2 || repetitive(seg.idx, s, e))) return false;
  emit(scan, s, e);
  return true;
}

function analyze(scan: Scan): void {
  const { seg } = scan;
  const n = seg.length;
  if (n < MIN_FRAMED) return;
  // Maximal runs of list tokens, and which of them produced a finding.
  const runs: [number, number][] = [];
  for (let k = 0; k < n; ) {
    if ((seg.idx[k] ?? -1) < 0) {
      k++;
      continue;
    }
    let e = k + 1;
    while (e < n && (seg.idx[e] ?? -1) >= 0) e++;
    runs.push([k, e]);
    k = e;
  }
  for (const [a, b] of runs) {
    if (b - a >= MIN_FRAMED) evaluateRun(scan, a, b);
  }
  // Clusters: runs joined by one or two off-list words that may be damaged words of the phrase.
  for (let r = 0; r < runs.length; ) {
    let q = r;
    while (q + 1 < runs.length) {
      const from = runs[q]![1];
      const to = runs[q + 1]![0];
      if (to - from > 2 || !mayBeDamagedWord(scan, from, to - from === 1) || (to - from === 2 && !mayBeDamagedWord(scan, from + 1))) break;
      q++;
    }
    const a = runs[r]![0];
    const b = runs[q]![1];
    if (q > r && b - a >= MIN_FRAMED) evaluateDamaged(scan, a, b);
    if (seg.script === Script.Latin && b - a >= MIN_EDGED && !overlapsEmitted(scan, a, b)) evaluateEdges(scan, a, b);
    r = q + 1;
  }
}

/** Fewest tokens (list words and damaged words between them) a cluster needs for evaluateEdges. */
const MIN_EDGED = 12 - MAX_DAMAGED;

/**
 * Damaged words at the edges of a phrase right after its keyword ("my seed phrase is infantx radioy caution …
 * snake", "recovery phrase: infant … must hurtx snakey"): the cluster [a, b) (list words at both ends) grows over
 * the off-list words around it that may be damaged ones, to the nearest phrase length, when at most MAX_DAMAGED of
 * its words are then damaged. Only right after a keyword (connectives such as "is" between them), so that a
 * sentence around a shorter run is never taken for the missing words. Latin script only: any Han character
 * outside the list could pass for a damaged word, and a Chinese typo mostly yields another list character.
 */
function evaluateEdges(scan: Scan, a: number, b: number): void {
  const { seg } = scan;
  // A keyword heading the cluster ("my seed phrase is …": "seed" and "phrase" are list words) is not in it.
  const trimmed = afterLeadingKeyword(scan, a, b);
  if (trimmed >= 0) a = trimmed;
  while (a < b && (seg.idx[a] ?? -1) < 0) a++;
  if (b - a < MIN_EDGED) return;
  const size = (seg.list === XMR ? MONERO_LENGTHS : [12, 15, 18, 21, 24]).find((n) => n >= b - a);
  if (size === undefined) return;
  let bad = 0;
  for (let k = a; k < b; k++) if ((seg.idx[k] ?? -1) < 0) bad++;
  let need = size - (b - a);
  if (need === 0 || bad + need > MAX_DAMAGED) return;
  const s = damagedBefore(scan, a, need);
  need -= a - s;
  let e = b;
  while (need > 0 && e < seg.length && isDamagedWord(scan, e)) {
    e++;
    need--;
  }
  if (need > 0 || overlapsEmitted(scan, s, e) || !keywordRightBefore(scan, s)) return;
  if (seg.dense(s, e) && !looksRandom(seg.idx, s, e)) return;
  emit(scan, s, e);
}

/** Reads segment `seg` in word list `list`: fills idx/weak; returns how many tokens the list holds. */
function viewIn(seg: Segment, list: List): number {
  let hits = 0;
  for (let k = 0; k < seg.length; k++) {
    const key = seg.key[k] ?? -1;
    let idx = -1;
    let weak = 0;
    if (seg.script === Script.Latin) {
      if (key >= 0) idx = LATIN_ROWS[key * LATIN_LISTS + list] ?? -1;
      else if (key <= -2) {
        idx = LATIN_ROWS[(-key - 2) * LATIN_LISTS + list] ?? -1;
        weak = 1;
      }
    } else if (seg.script === Script.Han) {
      idx = (list === ZH_HANS ? SIMPLIFIED_INDEX : TRADITIONAL_INDEX)[key] ?? -1;
    } else {
      idx = key;
    }
    seg.idx[k] = idx;
    seg.weak[k] = idx >= 0 ? weak : 0;
    if (idx >= 0) hits++;
  }
  return hits;
}

/** Fewest list tokens a segment needs before it is read in that list (a framed, damaged 11-word phrase). */
const MIN_HITS = MIN_FRAMED - MAX_DAMAGED;

const HITS = new Int32Array(LATIN_LISTS);

/** Fills the keys of a Latin, kana or Hangul segment (see Segment.key). */
function lookUpWords(text: string, seg: Segment): void {
  for (let k = 0; k < seg.length; k++) {
    const start = seg.start[k] ?? 0;
    const end = seg.end[k] ?? 0;
    seg.key[k] =
      seg.script === Script.Latin
        ? latinRow(text, start, end)
        : composedWordIndex(seg.script === Script.Kana ? JA : KO, text.slice(start, end));
  }
}

function analyzeSegment(scan: Scan): void {
  const { seg } = scan;
  if (seg.length < MIN_FRAMED) return;
  if (seg.script !== Script.Han) lookUpWords(scan.text, seg);
  seg.emitted.fill(0, 0, seg.length);
  if (seg.script === Script.Latin) {
    // Lists share words ("abandon", "phrase" are French too): read the segment in the lists holding the most
    // of its tokens first, so a phrase is reported in its own list and not stretched by another's.
    latinHits(seg);
    const order: List[] = [];
    for (let list = 0; list < LATIN_LISTS; list++) if ((HITS[list] ?? 0) >= MIN_HITS) order.push(list as List);
    if (order.length > 1) order.sort((x, y) => (HITS[y] ?? 0) - (HITS[x] ?? 0));
    for (const list of order) {
      seg.list = list;
      viewIn(seg, list);
      analyze(scan);
    }
    return;
  }
  if (seg.script === Script.Han) {
    // Most characters are in both Chinese lists: the traditional reading only matters with one of its own, and
    // then the list holding more of the segment reads it first, so a traditional phrase is not cut short by a
    // simplified reading that takes its traditional-only characters for damaged words.
    const lists: List[] = [ZH_HANS];
    if (hasTraditionalOnly(seg)) lists.splice(viewIn(seg, ZH_HANT) > viewIn(seg, ZH_HANS) ? 0 : 1, 0, ZH_HANT);
    for (const list of lists) {
      seg.list = list;
      if (viewIn(seg, list) >= MIN_HITS && mayHoldPhrase(scan)) analyze(scan);
    }
    return;
  }
  seg.list = seg.script === Script.Kana ? JA : KO;
  if (viewIn(seg, seg.list) >= MIN_HITS) analyze(scan);
}

/**
 * Chinese prose is one long run of list characters written without separators. Unframed and unnumbered, such a
 * run can only be reported when it looks random (see evaluateRun): a segment whose runs of 11 or more all touch
 * without separators somewhere and look like prose, with no framing near and no numbering, is skipped before
 * any further work. Exactly the cases evaluateRun and evaluateDamaged would reject.
 */
function mayHoldPhrase(scan: Scan): boolean {
  const { seg } = scan;
  if (seg.numberedGaps(0, seg.length) >= MIN_FRAMED - 2) return true;
  let long = false;
  for (let k = 0; k < seg.length; ) {
    if ((seg.idx[k] ?? -1) < 0) {
      k++;
      continue;
    }
    let e = k + 1;
    while (e < seg.length && (seg.idx[e] ?? -1) >= 0) e++;
    if (e - k >= MIN_FRAMED) {
      long = true;
      if (looksRandom(seg.idx, k, e)) return true;
      // A stretch of 11+ separated tokens inside the run is read as a phrase of its own.
      let stretch = 1;
      for (let t = k + 1; t < e; t++) {
        stretch = seg.gap[t] === Gap.Adjacent ? 1 : stretch + 1;
        if (stretch >= MIN_FRAMED) return true;
      }
    }
    k = e;
  }
  // Damaged clusters join shorter runs: framing decides for them too.
  return (long || seg.length >= MIN_FRAMED) && framingOf(scan).near(seg.start[0] ?? 0, seg.end[seg.length - 1] ?? 0);
}

function hasTraditionalOnly(seg: Segment): boolean {
  for (let k = 0; k < seg.length; k++) {
    const c = seg.key[k] ?? 0;
    if ((TRADITIONAL_INDEX[c] ?? -1) >= 0 && (SIMPLIFIED_INDEX[c] ?? -1) < 0) return true;
  }
  return false;
}

/** Fills HITS: how many of the segment's Latin tokens each list holds (whole words or prefixes). */
function latinHits(seg: Segment): void {
  HITS.fill(0);
  for (let k = 0; k < seg.length; k++) {
    const key = seg.key[k] ?? -1;
    const row = key >= 0 ? key : key <= -2 ? -key - 2 : -1;
    if (row < 0) continue;
    const base = row * LATIN_LISTS;
    for (let list = 0; list < LATIN_LISTS; list++) if ((LATIN_ROWS[base + list] ?? -1) >= 0) HITS[list]!++;
  }
}

/**
 * 1 for the code units that continue a Latin word: letters and combining marks. One load per character, where
 * the two tests took a branch optimized code had rarely seen (a combining mark) and threw the detector away.
 */
const LATIN_WORD = new Uint8Array(0x10000);
for (let c = 0; c < 0x10000; c++) if (isLatinLetter(c) || isCombiningMark(c)) LATIN_WORD[c] = 1;

// One segment buffer for all calls: detection is synchronous, and reusing it spares an allocation per message.
const SEGMENT = new Segment();

export const detectSeedPhrases: Detector = (text) => {
  const seg = SEGMENT;
  seg.clear();
  const scan: Scan = { text, seg, out: [], framing: null };
  const n = text.length;
  // Chinese labels, found at the first Han character (most texts have none); `next` is the first label not
  // yet passed.
  let labels: number[] | null = null;
  let next = 0;
  // Part labels ("第二部分：", "part 2:"), found at the first word; the one skipped since the last word, if any.
  let parts: number[] | null = null;
  let nextPart = 0;
  let partStart = -1;
  let partEnd = -1;
  let partJoins = false;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let script: Script;
    let end = i + 1;
    let key: number;
    if (c >= 0x3000 || isLatinLetter(c)) {
      parts ??= partLabels(text);
      while (nextPart < parts.length && (parts[nextPart + 1] ?? 0) <= i) nextPart += 2;
      if (nextPart < parts.length && parts[nextPart] === i) {
        // Never a word of the phrase ("part" would be read as the prefix of "party"); it joins the words around
        // it only where a keyword frames them, and ends the segment elsewhere ("part 1 of the guide …" is prose).
        partStart = i;
        partEnd = i = parts[nextPart + 1] ?? n;
        partJoins = framingOf(scan).near(partStart, partEnd);
        continue;
      }
    }
    if (isLatinLetter(c)) {
      while (end < n && LATIN_WORD[text.charCodeAt(end)] === 1) end++;
      script = Script.Latin;
      key = -1; // looked up later, if the segment is long enough
    } else if (c < 0x3000) {
      i++;
      continue;
    } else if (isHan(c)) {
      labels ??= zhLabels(text, i);
      while (next < labels.length && (labels[next + 1] ?? 0) <= i) next += 2;
      if (next < labels.length && (labels[next] ?? n) <= i) {
        // A label ends the segment: the phrase is what follows it (or precedes it), never the label itself.
        analyzeSegment(scan);
        seg.clear();
        i = labels[next + 1] ?? n;
        continue;
      }
      script = Script.Han;
      key = c;
    } else if (isKana(c)) {
      while (end < n && isKana(text.charCodeAt(end))) end++;
      script = Script.Kana;
      key = -1;
    } else if (isHangul(c)) {
      while (end < n && isHangul(text.charCodeAt(end))) end++;
      script = Script.Hangul;
      key = -1;
    } else {
      i++;
      continue;
    }
    let gap = Gap.Break;
    if (seg.length > 0) {
      const last = seg.end[seg.length - 1] ?? 0;
      if (seg.script !== script) gap = Gap.Break;
      else if (partStart >= last) {
        // A part label between two words separates them when the gaps on either side of it would.
        const before = partJoins ? gapKind(text, last, partStart, script) : Gap.Break;
        gap = before === Gap.Break || gapKind(text, partEnd, i, script) === Gap.Break ? Gap.Break : Gap.Separator;
      } else gap = gapKind(text, last, i, script);
      if (gap === Gap.Break) {
        analyzeSegment(scan);
        seg.clear();
      }
    }
    seg.push(script, i, end, key, gap);
    partStart = -1;
    i = end;
  }
  analyzeSegment(scan);
  return scan.out;
};
