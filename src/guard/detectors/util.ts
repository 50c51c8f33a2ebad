// Helpers shared by the detectors: character classes, checksums and label look-ups.
// Every helper here runs in time linear in its input (or bounded by a small constant window), which is what
// keeps the whole guard linear-time however adversarial a message is.
import { hash } from 'node:crypto';
import type { Finding, FindingType } from '../../domain/types.ts';

/** What a detector reports. `labelled` marks a value that an explicit label vouches for (wins overlaps). */
export interface Candidate extends Finding {
  labelled?: boolean;
}

/** A detector receives normalized text (see ../normalize.ts) and returns candidates in any order. */
export type Detector = (text: string) => Candidate[];

export const candidate = (type: FindingType, start: number, end: number, labelled = false): Candidate =>
  labelled ? { type, start, end, labelled } : { type, start, end };

// --- character classes -------------------------------------------------------------------------------------

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const isAsciiLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;
const ASCII_ALNUM = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_ALNUM[c] = isDigit(c) || isAsciiLetter(c) ? 1 : 0;
/** By table: the private-key detector tests every character of a text (-1 >>> 0, codeAt's "outside", is >= 128). */
export const isAsciiAlnum = (c: number): boolean => c >>> 0 < 128 && ASCII_ALNUM[c] === 1;
/** CJK unified ideographs (basic block and extension A): enough for Chinese text and the BIP39 list. */
export const isHan = (c: number): boolean => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);

// --- checksums -----------------------------------------------------------------------------------------------

/** SHA-256 of `data`. The one-shot crypto.hash (Node 20.12+): half the cost of a Hash object for the short
 *  inputs checksums hash (BIP39 entropy, base58check payloads), and detectors compute hundreds per message batch. */
export function sha256(data: Uint8Array): Uint8Array {
  return hash('sha256', data, 'buffer');
}

/** Luhn (mod 10) over a string of ASCII digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58_ALPHABET.length; i++) BASE58_INDEX[BASE58_ALPHABET.charCodeAt(i)] = i;

/** Base58 (Bitcoin alphabet) to bytes; null on a character outside the alphabet. Quadratic, so callers only
 *  pass short, length-bounded tokens (keys are at most ~111 characters). */
export function base58Decode(s: string): Uint8Array | null {
  // The number so far, little-endian in a fixed buffer: a base58 character carries log(58)/log(256) < 0.733 bytes.
  const bytes = new Uint8Array(Math.ceil(s.length * 0.733) + 1);
  let length = 0;
  for (let i = 0; i < s.length; ) {
    // Up to three characters per pass over the bytes (a third of the work): 255 * 58^3 plus a carry stays
    // within the 31 bits that bitwise operators keep.
    let chunk = 0;
    let scale = 1;
    for (const stop = Math.min(s.length, i + 3); i < stop; i++) {
      const c = s.charCodeAt(i);
      const digit = c < 128 ? (BASE58_INDEX[c] ?? -1) : -1;
      if (digit < 0) return null;
      chunk = chunk * 58 + digit;
      scale *= 58;
    }
    let carry = chunk;
    for (let j = 0; j < length; j++) {
      carry += (bytes[j] ?? 0) * scale;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes[length++] = carry & 0xff;
      carry >>= 8;
    }
  }
  // Each leading "1" stands for a zero byte. The loop's step runs on every call: a step that only a string
  // starting with "1" reached threw the optimized decoder away the first time one came.
  let zeros = -1;
  do {
    zeros++;
  } while (zeros < s.length && s.charCodeAt(zeros) === 49);
  const out = new Uint8Array(zeros + length);
  for (let j = 0; j < length; j++) out[zeros + length - 1 - j] = bytes[j] ?? 0;
  return out;
}

/** Base58Check: returns the payload (version byte included) when the 4-byte double-SHA256 checksum matches. */
export function base58CheckDecode(s: string): Uint8Array | null {
  const raw = base58Decode(s);
  if (!raw || raw.length < 5) return null;
  const payload = raw.subarray(0, raw.length - 4);
  const check = sha256(sha256(payload));
  for (let i = 0; i < 4; i++) if (check[i] !== raw[raw.length - 4 + i]) return null;
  return payload;
}

// --- labels and context --------------------------------------------------------------------------------------

/** End offset of the last match of `re` (global) inside text[from, to), or -1. */
export function lastMatchEnd(text: string, from: number, to: number, re: RegExp): number {
  const start = Math.max(0, from);
  const slice = text.slice(start, to);
  // test() leaves lastIndex at the end of its match without building a match array (labels are searched around
  // every candidate number). A match that leaves lastIndex where it was is empty: step over it.
  re.lastIndex = 0;
  let last = -1;
  for (let at = 0; re.test(slice); at = re.lastIndex) {
    last = start + re.lastIndex;
    if (re.lastIndex === at) re.lastIndex++;
  }
  return last;
}

/** Start offset of the first match of `re` (global) inside text[from, to), or -1. */
export function firstMatchStart(text: string, from: number, to: number, re: RegExp): number {
  const slice = text.slice(from, Math.min(text.length, to));
  re.lastIndex = 0;
  const m = re.exec(slice);
  return m ? from + m.index : -1;
}

export type LabelVerdict = 'positive' | 'negative' | null;

/**
 * Which kind of label governs the value at [start, end): the nearer one before it wins (a tie goes to the
 * negative label, so "public key" beats "key"); with nothing before it, the first one shortly after it.
 */
export function labelVerdict(
  text: string,
  start: number,
  end: number,
  positive: RegExp,
  negative: RegExp,
  before = 48,
  after = 24,
): LabelVerdict {
  const pos = lastMatchEnd(text, start - before, start, positive);
  const neg = lastMatchEnd(text, start - before, start, negative);
  if (pos >= 0 || neg >= 0) return neg >= pos ? 'negative' : 'positive';
  if (after <= 0) return null;
  const posAfter = firstMatchStart(text, end, end + after, positive);
  const negAfter = firstMatchStart(text, end, end + after, negative);
  if (posAfter < 0 && negAfter < 0) return null;
  if (posAfter < 0) return 'negative';
  if (negAfter < 0) return 'positive';
  return negAfter <= posAfter ? 'negative' : 'positive';
}

/**
 * The first match of global regex `re` in `text` at or after `from`; then `re.exec(text)` gives the next ones:
 * `for (let m = firstMatch(RE, text); m; m = RE.exec(text))`. A plain loop rather than a generator or a
 * callback: detectors run several per message, and either costs more than the loop itself. Every detector regex
 * consumes at least one character, so the loop always moves on; a consumer may move lastIndex forward to skip
 * what it has read.
 */
export function firstMatch(re: RegExp, text: string, from = 0): RegExpExecArray | null {
  re.lastIndex = from;
  return re.exec(text);
}

/** The char code at i, or -1 outside the text: lets boundary checks skip explicit range tests. */
export const codeAt = (text: string, i: number): number => (i >= 0 && i < text.length ? text.charCodeAt(i) : -1);

/** Digits of a grouped number ("4111 1111-1111") as a plain string. */
export const digitsOf = (s: string): string => s.replace(/\D/g, '');

// --- grouped digit sequences ---------------------------------------------------------------------------------

/**
 * A digit sequence right after one of . , + / \\ - continues some other token. An underscore does not: it sets a
 * number apart as a space would ("bob_4111…", a handle a platform built from a display name).
 */
const isGlue = (c: number): boolean => c === 46 || c === 44 || c === 43 || c === 47 || c === 92 || c === 45;
/** A space or an underscore: what sets a glued group apart from the rest of a sequence ("utf8 4111…", "v2_4111…"). */
const isSpaceLike = (c: number): boolean => c === 32 || c === 95;

/** A window of whole digit groups; set `taken` to consume it (the scan then continues after it). */
export interface DigitWindow {
  start: number;
  end: number;
  digits: string;
  taken: boolean;
}

/**
 * Windows of whole groups holding between `min` and `max` digits, in each grouped digit sequence of the text:
 * earliest start first, longest first. Multi-group windows must look like a written card or account number
 * (groups of 3-6, the first of 4-6, a short last group after three or more), so "12 4111 1111 1111 1111"
 * still yields the card but "1 2 3 4 …" yields nothing. Each group is visited a bounded number of times.
 */
/** Digit groups of the current sequence. Typed arrays: a sequence may hold half a million groups ("1 1 1 …"). */
class Groups {
  length = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  push(start: number, end: number): void {
    if (this.length === this.starts.length) {
      const starts = new Int32Array(this.length * 2);
      const ends = new Int32Array(this.length * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[this.length] = start;
    this.ends[this.length++] = end;
  }
  start(q: number): number {
    return this.starts[q] ?? 0;
  }
  end(q: number): number {
    return this.ends[q] ?? 0;
  }
  /** Drops the first group (it belongs to a token glued in front of the sequence). */
  dropFirst(): void {
    this.starts.copyWithin(0, 1, this.length);
    this.ends.copyWithin(0, 1, this.length);
    this.length--;
  }
  /** Digits in groups i..i+k-1 (single separators between them). */
  digits(i: number, k: number): number {
    return this.end(i + k - 1) - this.start(i) - (k - 1);
  }
}

// Shared by every scan: detection is synchronous and each caller runs its scan to the end before another starts.
const GROUPS = new Groups();

export function* digitWindows(text: string, min: number, max: number): Generator<DigitWindow> {
  const groups = GROUPS;
  for (let p = nextSequence(text, 0, groups); p >= 0; p = nextSequence(text, p, groups)) {
    for (let i = 0; i < groups.length; i++) {
      for (let k = longestWindow(groups, i, min, max); k > 0; k = k > 1 && groups.digits(i, k - 1) >= min ? k - 1 : 0) {
        const start = groups.start(i);
        const end = groups.end(i + k - 1);
        const window: DigitWindow = { start, end, digits: digitsOf(text.slice(start, end)), taken: false };
        yield window;
        if (window.taken) {
          i += k - 1;
          break;
        }
      }
    }
  }
}

// The loops live in plain functions: V8 optimises them far better than code inside a generator.

const ANY_DIGIT = /[0-9]/g;

/**
 * Finds the next digit sequence at or after p that stands on its own, puts its groups in `groups` and returns
 * where scanning resumes; -1 when there is none. A sequence is a digit run followed by more runs, each after a
 * single space, dash or underscore ("4111 1111-1111_1111"), or after a dot between groups of the written-card shape
 * ("4111.1111.1111.1111", see dotGroup), scanned by hand: a regex keeps a backtracking entry per group, which is
 * slow on "1 1 1 1 …".
 */
function nextSequence(text: string, p: number, groups: Groups): number {
  while (p < text.length) {
    if (!isDigit(text.charCodeAt(p))) {
      // The next digit, found by the regexp engine's native scan: most of a message is not digits, and several
      // detectors walk it.
      ANY_DIGIT.lastIndex = p;
      if (!ANY_DIGIT.test(text)) return -1;
      p = ANY_DIGIT.lastIndex - 1;
    }
    const before = codeAt(text, p - 1);
    groups.length = 0;
    for (;;) {
      const start = p;
      while (p < text.length && isDigit(text.charCodeAt(p))) p++;
      groups.push(start, p);
      const sep = codeAt(text, p);
      if ((sep === 32 || sep === 45 || sep === 95) && isDigit(codeAt(text, p + 1))) p++;
      else if (sep === 46 && p - start >= 4 && p - start <= 6 && dotGroup(text, p + 1)) p++;
      else break;
    }
    // A sequence glued to letters, a decimal point, a sign or a path ("ID4111…", "0.4111…", "4111….5") is part
    // of something else, not a number on its own. A comma or a dot is such glue only after a letter or a digit:
    // "付，4111…" (the full-width comma normalized) starts a number. When the glued group is followed by a
    // space, only that group belongs to the other token ("utf8 4111…", "4111… 3rd"): the rest stands on its own.
    const after = codeAt(text, p);
    const gluedBefore =
      isAsciiAlnum(before) || (isGlue(before) && ((before !== 46 && before !== 44) || isAsciiAlnum(codeAt(text, groups.start(0) - 2))));
    if (gluedBefore) {
      if (groups.length < 2 || !isSpaceLike(codeAt(text, groups.end(0)))) continue;
      groups.dropFirst();
    }
    if (isAsciiLetter(after) || ((after === 46 || after === 44) && isDigit(codeAt(text, p + 1)))) {
      if (groups.length < 2 || !isSpaceLike(codeAt(text, groups.start(groups.length - 1) - 1))) continue;
      groups.length--;
    }
    return p;
  }
  return -1;
}

/**
 * Whether a dot at i - 1 (after a group of 4-6 digits) separates groups of a written card number: 3-6 digits
 * follow it. Amounts ("1234.56"), versions, dates and addresses have shorter groups and stay apart.
 */
function dotGroup(text: string, i: number): boolean {
  let j = i;
  while (j < text.length && j - i <= 6 && isDigit(text.charCodeAt(j))) j++;
  return j - i >= 3 && j - i <= 6;
}

/**
 * The most groups a window starting at group i may take within `max` digits, or 0 when none holds `min`:
 * every group that keeps the written-number shape (3-6 digits, the first 4-6), plus a short tail after three
 * or more ("6222 0212 3456 7890 12"); a single long group stands alone.
 */
function longestWindow(groups: Groups, i: number, min: number, max: number): number {
  const n = groups.length;
  let shaped = 0;
  for (let total = 0; i + shaped < n; shaped++) {
    const l = groups.end(i + shaped) - groups.start(i + shaped);
    total += l;
    if (total > max || l < (shaped === 0 ? 4 : 3) || l > 6) break;
  }
  let k = Math.min(n - i, shaped >= 3 ? shaped + 1 : Math.max(shaped, 1));
  while (k > 0 && groups.digits(i, k) > max) k--;
  return k > 0 && groups.digits(i, k) >= min ? k : 0;
}

// --- character classes of phrase words ------------------------------------------------------------------------

/** Latin letters with or without accents (Latin-1 Supplement and Latin Extended-A/B, minus × and ÷). */
export const isLatinLetter = (c: number): boolean =>
  isAsciiLetter(c) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
export const isCombiningMark = (c: number): boolean => c >= 0x300 && c <= 0x36f;
/** Hiragana and katakana (with the prolonged sound mark and the combining voicing marks). */
export const isKana = (c: number): boolean => c >= 0x3041 && c <= 0x30ff;
/** Hangul syllables and jamo. */
export const isHangul = (c: number): boolean => (c >= 0xac00 && c <= 0xd7a3) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3131 && c <= 0x318e);

// --- Traditional Chinese labels ------------------------------------------------------------------------------

/** Simplified characters used in labels, each followed by its traditional form. */
const ZH_PAIRS =
  '码碼钥鑰记記词詞验驗证證号號账帳户戶钱錢银銀机機电電话話资資产產复復种種语語单單备備忆憶错錯误誤订訂区區块塊签簽链鏈' +
  '转轉邮郵确確认認态態动動录錄陆陸网網络絡开開关關页頁输輸发發给給绑綁储儲请請优優换換额額余餘币幣数數书書' +
  '这這个個么麼吗嗎帮幫处處应應后後来來时時间間务務护護实實浏瀏览覽为為问問题題谢謝买買卖賣补補证證码碼';
const TRADITIONAL = new Map<string, string>();
for (let i = 0; i + 1 < ZH_PAIRS.length; i += 2) TRADITIONAL.set(ZH_PAIRS[i]!, ZH_PAIRS[i + 1]!);

/**
 * The same regular expression accepting Traditional Chinese wherever its source has a simplified character
 * with a different traditional form ("验证码" also matches "驗證碼"): labels are written once, in simplified.
 */
export function withTraditional(re: RegExp): RegExp {
  let out = '';
  let inClass = false;
  for (let i = 0; i < re.source.length; i++) {
    const ch = re.source[i]!;
    if (ch === '\\') {
      out += ch + (re.source[++i] ?? '');
      continue;
    }
    if (ch === '[' && !inClass) inClass = true;
    else if (ch === ']' && inClass) inClass = false;
    const t = TRADITIONAL.get(ch);
    out += t === undefined ? ch : inClass ? ch + t : `[${ch}${t}]`;
  }
  return new RegExp(out, re.flags);
}
