// The guard's pre-scan: one pass over a message, reading each UTF-16 unit once through a class table (with a few
// look-arounds of bounded length), that tells
// detect() what the message holds, so that most messages skip most of the work (ordinary support traffic has no
// secret, and the pre-scan is nearly all the guard does for it).
//
// Every figure is counted as if the text were already normalized (see normalize.ts), and each gate built on them
// (index.ts, DETECTORS) is a *necessary* condition for its detector to find anything: skipping a detector never
// changes the findings. index.test.ts checks that claim against the corpus and adversarial shapes.
import * as normalization from './normalize.ts';
import * as seedPhrase from './detectors/seed-phrase.ts';
import * as lists from './wordlists/index.ts';
import type { List } from './wordlists/index.ts';

// Imports bound to module constants: the loop then reads plain constants whatever format the module is loaded in
// (a module compiled to CommonJS reads each imported name through a getter).
const { NORMALIZED } = normalization;
const { breaksPhrase, GAP_CHARACTER, LINE_MARKER, SEPARATOR_CHARACTER } = seedPhrase;
const { BIP39_LATIN, LATIN_LISTS, LETTER, MAX_LATIN, SIMPLIFIED_INDEX, TRADITIONAL_INDEX, WORDS } = lists;

/** What the pre-scan found; see prescan(). Positions are UTF-16 offsets. */
export interface TextStats {
  /** Whether normalizeText would change the text. */
  normalize: boolean;
  /** Whether the text may hold invisible (format / default-ignorable) characters: a superset, checked exactly later. */
  invisible: boolean;
  /** Whether a Latin letter touches a Cyrillic or Greek one (possible homoglyph spelling, see foldHomoglyphs). */
  mixedScripts: boolean;
  digits: number;
  /**
   * Most digits in one cluster: digits each at most three characters after the previous one. Every number shape
   * a detector knows (cards, accounts, phones with "(", ") ", IDs, codes typed "4 8 2 9 1 3") is one cluster.
   */
  digitCluster: number;
  /**
   * Most digits in one written group: each right after the previous one or after a single space, tab, dash or
   * underscore, or after a dot that follows four digits or more ("4111.1111.1111.1111", "4111_1111_1111_1111").
   */
  digitGroup: number;
  /**
   * Most characters in a chain of runs (see longestRun) of 8 or more, each followed by a single space or tab and the
   * next starting right after it; the last run of a chain, which no blank follows, is not counted. A 64-hex key in
   * groups of 8-15 ("<8 hex> × 8") has 49 or more (all its groups but the last); one with a group of 16+ has a run
   * of 16.
   */
  spacedRuns: number;
  /** Longest run of [A-Za-z0-9_\-./+=]: every key and token shape has a long one. */
  longestRun: number;
  /**
   * Most Latin words of some word list (whole or by a 4-letter prefix, accents typed or not) in one stretch with
   * never more than two other words in a row between them: every Latin phrase the seed detector reports, even a
   * damaged one, has eight (seed-phrase.ts: a run of 11, or a window of 11 with at most 3 damaged words).
   */
  latinListRun: number;
  /** Most Latin list words in a row with no other word between them (see latinListRun). */
  latinRun: number;
  /**
   * Most gaps between Latin words that hold a number ("1.", "(2)", "③") or open a bulleted line, with at most one
   * gap without one among them: a phrase taken for its numbering has one in all its gaps but one.
   */
  latinNumbered: number;
  /** Most kana or Hangul words in a row (a Latin word or a Han character ends the row). */
  kanaHangulRun: number;
  /**
   * Most Han characters (CJK unified ideographs) in one stretch: characters that could be one segment of the seed
   * detector. A stretch ends where two Han characters are more than 16 characters apart, have anything between
   * them that no gap of a phrase holds (a letter of another script, an emoji, "。"…), or a gap the detector's
   * gapKind breaks at ("(1)(2)(3)", "12345"). The other Han figures are counted within one stretch too.
   */
  hanSegment: number;
  /** Most gaps holding a number ("1.", "②") or opening a bulleted line, in one stretch. */
  hanNumbered: number;
  /** Most word-list Han characters in a row (in one stretch) each set apart from the previous one ("的 是 不 …"). */
  hanSpaced: number;
  /**
   * Whether a run of word-list Han characters may look random enough to be a dense Chinese phrase (seed-phrase.ts,
   * looksRandom): decided exactly where the stretch is certain to be one segment of the seed detector, bounded
   * from above elsewhere (see RareRuns).
   */
  hanRare: boolean;
  /**
   * Whether a recovery-phrase keyword (seed-phrase.ts, FRAMING) may be in the text: a Han keyword character, a kana
   * or Hangul letter, or a Latin word beginning as a keyword does ("seed…", "fráz…"; "the", "my", "recovery"
   * and their like only glued to the next word, "thewords": see GLUED_KEYWORDS).
   */
  framingHint: boolean;
  /** Whether a password label may be in the text: "pas…", "pw…", "pin…", 密码/密碼, 口令. */
  passwordHint: boolean;
  /** Whether the text may hold "-----BEGIN" (a PEM block): a "BEGIN" right after a dash. */
  pemHint: boolean;
  /**
   * Whether the text holds what every PEM block and every grouped hex key (detectors/private-key.ts) holds:
   * "-----BEGIN", or eight hex digits, then blanks, a line break and blanks, then eight more (WRAPPED_HEX_HINT), or
   * eight hex digits, one space or tab and eight more (SPACED_HEX_HINT). Exact.
   */
  keyHint: boolean;
  /** Whether the text holds two capital letters followed by two digits (an IBAN's start, [A-Z]{2}\d{2}). */
  ibanHint: boolean;
  at: boolean;
}

// --- the class table -------------------------------------------------------------------------------------------

// The low two bits are the script of a letter (0 for no letter), the others flags.
const SCRIPT = 3;
const LATIN = 1;
const KANA = 2;
const HANGUL = 3;
const HAN = 4;
const DIGIT = 8;
const RUN = 16; // [A-Za-z0-9_\-./+=]
const INVISIBLE = 32;
const LOOKALIKE = 64;
const NORMALIZES = 128;
const COMBINING = 256;
const FRAMING_HAN = 512;
const CIRCLED = 1024;
const GAP = 2048; // may sit between two words of a phrase (seed-phrase.ts, GAP_CHARACTER)
const SEPARATOR = 4096; // a gap of these alone never breaks a phrase (SEPARATOR_CHARACTER)
const LABEL_START = 8192; // may start a Chinese label (seed-phrase.ts, ZH_LABELS), which ends a segment
const TRADITIONAL_ONLY = 16384; // in the traditional Chinese list only
const LABEL_AFTER_NUMBER = 32768; // 个, 单, 词: "12 个单词" is a label too

/** Class bits of every BMP code unit (after normalization, except NORMALIZES itself). 128 KiB, built once. */
const CLASS = new Uint16Array(0x10000);
const mark = (from: number, to: number, bits: number) => {
  for (let c = from; c <= to; c++) CLASS[c]! |= bits;
};
mark(0x41, 0x5a, LATIN | RUN);
mark(0x61, 0x7a, LATIN | RUN);
mark(0x30, 0x39, DIGIT | RUN);
for (const c of '_-./+=') CLASS[c.charCodeAt(0)]! |= RUN;
mark(0xc0, 0x24f, LATIN);
CLASS[0xd7]! &= ~SCRIPT; // ×
CLASS[0xf7]! &= ~SCRIPT; // ÷
mark(0x300, 0x36f, COMBINING);
mark(0x3400, 0x4dbf, HAN);
mark(0x4e00, 0x9fff, HAN);
mark(0x3041, 0x30ff, KANA);
mark(0xac00, 0xd7a3, HANGUL);
mark(0x1100, 0x11ff, HANGUL);
mark(0x3131, 0x318e, HANGUL);
mark(0x370, 0x3ff, LOOKALIKE);
mark(0x400, 0x52f, LOOKALIKE);
for (const [from, to] of [[0x2460, 0x2473], [0x2776, 0x277f], [0x24f5, 0x24fe], [0x3251, 0x325f]] as const) mark(from, to, CIRCLED);
// The characters of every Han recovery-phrase keyword (seed-phrase.ts, FRAMING): 助记词, 恢复, 种子, 备份, 密语, 钱包…
for (const c of '助记記词詞恢复復种種备備份密语語钱錢包单單忆憶') CLASS[c.charCodeAt(0)]! |= FRAMING_HAN;
// Unicode format characters (Cf) and default-ignorable code points (Unicode 16, DerivedCoreProperties.txt), and the
// high surrogates of the astral ones (U+110BD, U+110CD, U+13430–1345F, U+1BCA0–1BCA3, U+1D173–1D17A,
// U+E0000–E0FFF). prescan.test.ts checks this against the engine's own \p{Cf} and \p{Default_Ignorable_Code_Point}.
for (const [from, to] of [
  [0xad, 0xad], [0x34f, 0x34f], [0x600, 0x605], [0x61c, 0x61c], [0x6dd, 0x6dd], [0x70f, 0x70f], [0x890, 0x891],
  [0x8e2, 0x8e2], [0x115f, 0x1160], [0x17b4, 0x17b5], [0x180b, 0x180f], [0x200b, 0x200f], [0x202a, 0x202e],
  [0x2060, 0x206f], [0x3164, 0x3164], [0xfe00, 0xfe0f], [0xfeff, 0xfeff], [0xffa0, 0xffa0], [0xfff0, 0xfffb],
  [0xd804, 0xd804], [0xd80d, 0xd80d], [0xd82f, 0xd82f], [0xd834, 0xd834], [0xdb40, 0xdb43],
] as const) mark(from, to, INVISIBLE);
for (let c = 0xa0; c < 0x10000; c++) if (NORMALIZED[c] !== c) CLASS[c]! |= NORMALIZES;
// GAP_CHARACTER's characters all lie below U+3300, among the surrogates (emoji) or above U+FE00 (prescan.test.ts
// checks every code unit).
for (let c = 0; c < 0x10000; c = c === 0x3300 ? 0xd800 : c === 0xdfff ? 0xfe00 : c + 1) {
  if (GAP_CHARACTER.test(String.fromCharCode(c))) CLASS[c]! |= GAP;
  if (SEPARATOR_CHARACTER.test(String.fromCharCode(c))) CLASS[c]! |= SEPARATOR;
}
// The first characters of ZH_LABELS' alternatives (助记词, 私钥, 密码, 验证码, 动态码, 确认码, 口令, 身份证, 十二个单词…);
// "12 个单词" starts with digits: its Han characters after a number are LABEL_AFTER_NUMBER.
for (const c of '助记記恢种種备備私密钱錢十二验驗动動确確口身') CLASS[c.charCodeAt(0)]! |= LABEL_START;
for (const c of '个個单單词詞') CLASS[c.charCodeAt(0)]! |= LABEL_AFTER_NUMBER;
for (let c = 0x3400; c <= 0x9fff; c++) if (SIMPLIFIED_INDEX[c]! < 0 && TRADITIONAL_INDEX[c]! >= 0) CLASS[c]! |= TRADITIONAL_ONLY;

/** List rank of a Han character in the simplified or traditional BIP39 list (the higher of the two), or -1. */
const HAN_RANK = new Int16Array(0x10000).fill(-1);
for (let c = 0x3400; c <= 0x9fff; c++) HAN_RANK[c] = Math.max(SIMPLIFIED_INDEX[c] ?? -1, TRADITIONAL_INDEX[c] ?? -1);

/**
 * Which Latin words some list may hold: a bit per hash of the word's letter values (LETTER: accents and case
 * dropped), set for every whole word of the seven Latin lists and every 4-letter prefix of a BIP39 word, exactly
 * the keys latinRow() resolves. A clear bit means no list holds the word; a set bit may be a collision (about 4%
 * of other words), which only lets the seed detector run.
 */
const LATIN_FILTER = new Uint32Array(1 << 15);
const FILTER_SHIFT = 12; // 32 - log2(2^20 bits)
const nextHash = (hash: number, letter: number): number => Math.imul(hash ^ letter, 0x01000193);
const HASH_SEED = 0x811c9dc5 | 0;
const filterBit = (hash: number): number => Math.imul(hash, 0x9e3779b1) >>> FILTER_SHIFT;
const addToFilter = (hash: number): void => {
  const bit = filterBit(hash);
  LATIN_FILTER[bit >>> 5]! |= 1 << (bit & 31);
};
// Straight from the words, as wordlists/index.ts keys them: LETTER reads an accented letter the same composed or
// decomposed (its combining marks are -1, skipped), so no normalize() call is needed at start-up.
for (let list = 0; list < LATIN_LISTS; list++) {
  const bip39 = (BIP39_LATIN as readonly List[]).includes(list as List);
  for (const word of WORDS[list as List]) {
    let hash = HASH_SEED;
    let letters = 0;
    for (let i = 0; i < word.length; i++) {
      const v = LETTER[word.charCodeAt(i)] ?? 0;
      if (v <= 0) continue;
      hash = nextHash(hash, v);
      // A BIP39 word's first four letters: the prefix stamped on metal backups (a 4-letter word is its own).
      if (++letters === 4 && bip39) addToFilter(hash);
    }
    addToFilter(hash);
  }
}

/**
 * The first three or four letters of every Latin keyword of FRAMING in seed-phrase.ts, where a match can start
 * (each alternative starts a word: "seed phrase", "12 words", "frase de recuperación", "fráze"…), hashed like the
 * words above; but see GLUED_KEYWORDS for "the words", "recovery phrase" and their like.
 */
const FRAMING_PREFIXES = new Uint32Array(128); // a 4096-bit filter: a set bit may be a collision
const prefixBit = (hash: number): number => Math.imul(hash, 0x9e3779b1) >>> 20;
const hashOf = (word: string): number => {
  let hash = HASH_SEED;
  for (const ch of word) hash = nextHash(hash, LETTER[ch.charCodeAt(0)] ?? 0);
  return hash;
};
for (const prefix of 'srp mot seed mnem twel twen word pass elec mone fras pala paro semi phra obno fraz slov'.split(' ')) {
  const bit = prefixBit(hashOf(prefix));
  FRAMING_PREFIXES[bit >>> 5]! |= 1 << (bit & 31);
}

/**
 * The words of FRAMING's "(recovery|backup|secret(\s*recovery)?|wallet|restore|security|import|my|the|these)
 * \s*(phrase|words?|seed)", hashed whole in a filter like FRAMING_PREFIXES. Such a keyword starts a match only
 * glued to the next word ("thewords", "recoveryphrase": the next letter is p, s or w; "secretrecovery…": r);
 * after a space the next word ("the words") starts a keyword itself. So "the", "my" or "recovered" alone, common
 * as they are, give no hint.
 */
const GLUED_KEYWORDS = new Uint32Array(128);
for (const word of 'recovery backup secret wallet restore security import my the these'.split(' ')) {
  const bit = prefixBit(hashOf(word));
  GLUED_KEYWORDS[bit >>> 5]! |= 1 << (bit & 31);
}
const SECRET = hashOf('secret');
/** The letters after which a hint may start, as bits from "a": p (a password label or a glued keyword), r, s and w. */
const HINT_LETTERS = (1 << 15) | (1 << 17) | (1 << 18) | (1 << 22);
const mayBeGluedKeyword = (hash: number): boolean => {
  const bit = prefixBit(hash);
  return (GLUED_KEYWORDS[bit >>> 5]! & (1 << (bit & 31))) !== 0;
};
const mayBeFramingPrefix = (hash: number): boolean => {
  const bit = prefixBit(hash);
  return (FRAMING_PREFIXES[bit >>> 5]! & (1 << (bit & 31))) !== 0;
};

const inFilter = (hash: number): boolean => {
  const bit = filterBit(hash);
  return (LATIN_FILTER[bit >>> 5]! & (1 << (bit & 31))) !== 0;
};

/**
 * looksRandom (seed-phrase.ts) takes a run of L ≥ 11 list characters with a mean rank of at least 550 and at most
 * max(2, ⌈L/6⌉) of them among the 100 most frequent.
 *
 * A stretch (see TextStats; its gaps holding more than separators are judged by the detector's own gapKind) is
 * exactly one segment of the seed detector unless something in it may cut it further or read it otherwise: a
 * character that may start a label (ZH_LABELS, also "12 个单词"), or a traditional-only character (a second
 * reading). In a certain stretch the runs are the detector's runs, and looksRandom is applied to them exactly.
 *
 * An uncertain stretch is judged by a bound instead: a run as above has Σ(rank − 550) ≥ 0 and, with a penalty λ for
 * each frequent character, Σ(rank − 550 + λ/6 − λ·[rank < 100]) ≥ −2λ (as max(2, ⌈L/6⌉) ≤ L/6 + 2), both over
 * some stretch of 11 or more list characters (rank: the higher of the two lists'). The largest value of each sum
 * over such stretches is followed in O(1) per character: prefix sums, less the least prefix lying at least 11
 * characters back (rings hold the last 11 prefixes). λ = 300: Chinese prose is about 40% frequent characters.
 */
const RARE_LENGTH = 11;
const RARE_MEAN = 550;
const RARE_PENALTY = 300;

/**
 * Reads the Han stretches of one text and tells whether one of them may hold a phrase by looksRandom. The exact
 * run is followed character by character; the bounds only matter for an uncertain stretch (rare: a label
 * character or a traditional-only one), so they are computed when such a stretch ends, over its characters again.
 */
class RareRuns {
  /** The answer for the text so far. */
  rare = false;
  // The exact run of the current stretch (simplified list).
  private count = 0;
  private sum = 0;
  private frequent = 0;
  // Prefix sums of the last RARE_LENGTH characters, for the bounds.
  private readonly ranks = new Float64Array(RARE_LENGTH);
  private readonly scores = new Float64Array(RARE_LENGTH);

  /** A new text. */
  clear(): void {
    this.rare = false;
    this.count = this.sum = this.frequent = 0;
  }
  /**
   * Ends the stretch whose Han characters lie in text[from, to] (none when to < from). `uncertain`: something in
   * the stretch may make the detector's segments or runs differ from ours (kept by the caller in a local
   * variable: a method call on a rare path that optimized code never saw would deoptimize the whole pre-scan).
   */
  endStretch(text: string, from: number, to: number, uncertain: boolean): void {
    if (this.count > 0) this.endRun();
    if (uncertain && !this.rare && to - from + 1 >= RARE_LENGTH) this.rare = this.boundsReached(text, from, to);
  }
  /** The next Han character of the stretch, by its index in the simplified list (-1: not in it). */
  add(simplified: number): void {
    if (simplified < 0) {
      if (this.count > 0) this.endRun();
    } else {
      this.count++;
      this.sum += simplified;
      if (simplified < 100) this.frequent++;
    }
  }
  private endRun(): void {
    const { count } = this;
    if (count >= RARE_LENGTH && this.sum >= RARE_MEAN * count && this.frequent <= Math.max(2, Math.ceil(count / 6))) {
      this.rare = true;
    }
    this.count = this.sum = this.frequent = 0;
  }
  /**
   * Whether both bounds are reached in the stretch text[from, to]: its Han characters are every code unit there
   * of class HAN (no code unit normalizes to or from a Han character).
   */
  private boundsReached(text: string, from: number, to: number): boolean {
    const { ranks, scores } = this;
    let slot = 0;
    let length = 0;
    let rankSum = 0;
    let scoreSum = 0;
    let leastRank = Infinity;
    let leastScore = Infinity;
    let rankReached = false;
    let scoreReached = false;
    for (let j = from; j <= to; j++) {
      const c = text.charCodeAt(j);
      if (!(CLASS[c]! & HAN)) continue;
      const rank = HAN_RANK[c]!;
      if (rank < 0) {
        slot = length = rankSum = scoreSum = 0;
        leastRank = leastScore = Infinity;
        continue;
      }
      ranks[slot] = rankSum;
      scores[slot] = scoreSum;
      slot = slot === RARE_LENGTH - 1 ? 0 : slot + 1;
      rankSum += rank - RARE_MEAN;
      scoreSum += rank - RARE_MEAN + RARE_PENALTY / 6 - (rank < 100 ? RARE_PENALTY : 0);
      if (++length < RARE_LENGTH) continue;
      // The next slot holds the prefix from 11 characters back.
      leastRank = Math.min(leastRank, ranks[slot]!);
      leastScore = Math.min(leastScore, scores[slot]!);
      if (rankSum - leastRank >= 0) rankReached = true;
      if (scoreSum - leastScore >= -2 * RARE_PENALTY) scoreReached = true;
    }
    return rankReached && scoreReached;
  }
}
const RARE = new RareRuns();

// --- the pass ----------------------------------------------------------------------------------------------------

/** The code unit after i, normalized and lower-cased when it is an ASCII letter; -1 past the end. */
function lowerAt(text: string, i: number): number {
  if (i >= text.length) return -1;
  const c = NORMALIZED[text.charCodeAt(i)]!;
  return c >= 0x41 && c <= 0x5a ? c | 32 : c;
}

/** Whether a password label may start at i, a "p" (PASSWORD_LABEL in detectors/credentials.ts). */
function passwordAt(text: string, i: number): boolean {
  const a = lowerAt(text, i + 1);
  if (a === 0x77) return true; // pw, pwd
  const b = lowerAt(text, i + 2);
  return (a === 0x61 && b === 0x73) || (a === 0x69 && b === 0x6e); // pas…, pin
}

/** Reads `text` once (linear; allocates nothing but the result). See TextStats for what each figure means. */
export function prescan(text: string): TextStats {
  let normalize = false;
  let invisible = false;
  let mixedScripts = false;
  let digits = 0;
  let lastDigit = -10;
  let lastSpace = -10; // last space, tab, dash or underscore, or a dot after four digits
  let digitRun = 0; // digits in a row up to lastDigit
  let cluster = 0;
  let digitCluster = 0;
  let group = 0;
  let digitGroup = 0;
  let numberedGaps = 0; // numbered gaps between Latin words since the last gap without a number…
  let numberedBefore = 0; // …and before that one
  let latinNumbered = 0;
  let chain = 0; // characters in the current chain of runs (see spacedRuns)…
  let spacedRuns = 0;
  let chainBlank = -10; // …and the blank after its last run
  let run = 0;
  let longestRun = 0;
  // The word being read: its script (LATIN, KANA, HANGUL or 0), letters, and for a Latin word the hash of its
  // letter values and whether a list could hold it at all (not with ß, ø…).
  let script = 0;
  let letters = 0;
  let hash = HASH_SEED;
  let listable = true;
  let listRun = 0; // list words, with at most two other words in a row between them
  let offList = 0;
  let latinListRun = 0;
  let strict = 0; // list words in a row
  let latinRun = 0;
  let kanaHangul = 0;
  let kanaHangulRun = 0;
  // The Han stretch being read, and what lies between its last character and the next one.
  let lastHan = -100;
  let gapBreaks = false;
  let gapNumbered = false;
  let gapUncertain = false; // holds more than separators: GAP's structure decides whether it breaks
  let gapDigits = false;
  let segment = 0;
  let hanSegment = 0;
  let numbered = 0;
  let hanNumbered = 0;
  let spaced = 0;
  let hanSpaced = 0;
  RARE.clear();
  let uncertain = false; // the stretch may be read otherwise by the detector (see RareRuns.endStretch)
  let stretchStart = 0; // its first Han character
  let framingHint = false;
  let passwordHint = false;
  let pemHint = false;
  let keyHint = false;
  let ibanHint = false;
  let at = false;
  let previous = 0; // class bits of the previous code unit

  const n = text.length;
  let i = 0;
  while (i <= n) {
    let c = i < n ? text.charCodeAt(i) : 32;
    let k = CLASS[c]!;
    if (k & (NORMALIZES | INVISIBLE)) {
      if (k & INVISIBLE) invisible = true;
      if (k & NORMALIZES) {
        normalize = true;
        c = NORMALIZED[c]!;
        k = CLASS[c]!;
      }
    }
    const before = previous;
    previous = k;
    if (k & COMBINING) {
      // An accent typed after its letter: the word goes on. A keyword may start right after it ("é" + "seed"
      // is no word boundary for the word lists, but it is for FRAMING's (?<![a-z])).
      if (script === LATIN) framingHint = true;
      gapBreaks = true; // between Han characters, the seed detector's gaps break at it
      i++;
      continue;
    }
    const s = k & SCRIPT;
    if (s !== script) {
      if (letters > 0) {
        // The word being read ends: a Latin one extends the list runs or counts as another word between them.
        if (script === LATIN) {
          if (listable && letters >= 3 && letters <= MAX_LATIN && inFilter(hash)) {
            offList = 0;
            if (++listRun > latinListRun) latinListRun = listRun;
            if (++strict > latinRun) latinRun = strict;
          } else {
            strict = 0;
            if (++offList > 2) listRun = 0;
          }
          kanaHangul = 0;
        } else {
          listRun = strict = 0;
          if (++kanaHangul > kanaHangulRun) kanaHangulRun = kanaHangul;
        }
        letters = 0;
      }
      script = s;
      hash = HASH_SEED;
      listable = true;
      if (s === LATIN) {
        if (gapNumbered) numberedGaps++;
        else {
          numberedBefore = numberedGaps;
          numberedGaps = 0;
        }
        if (numberedGaps + numberedBefore > latinNumbered) latinNumbered = numberedGaps + numberedBefore;
        gapNumbered = false;
      } else if (s !== 0) {
        numberedGaps = numberedBefore = 0;
      }
    }
    if (s !== 0) {
      gapBreaks = true;
      if (s === LATIN && c < 0x80) {
        if (before & LOOKALIKE) mixedScripts = true;
        if (c === 0x42 && !(pemHint && keyHint)) {
          const dashes = dashesBeforeBegin(text, i);
          if (dashes > 0) pemHint = true;
          if (dashes === 5) keyHint = true;
        }
        // The rest of an ASCII word in one tight loop: most of an English message.
        const first = i;
        do {
          const lower = c | 32;
          if ((HINT_LETTERS >>> (lower - 97)) & 1) {
            if (lower === 0x70 && !passwordHint) passwordHint = passwordAt(text, i);
            // A keyword glued to the next one: "thewords", "secretrecoveryphrase" (see GLUED_KEYWORDS).
            if (lower !== 0x72) framingHint ||= mayBeGluedKeyword(hash);
            else if (hash === SECRET) framingHint = true;
          }
          hash = nextHash(hash, lower - 96);
          // FRAMING_PREFIXES holds prefixes of three and four letters.
          if (++letters <= 4 && letters >= 3 && !framingHint) framingHint = mayBeFramingPrefix(hash);
          c = ++i < n ? text.charCodeAt(i) : 32;
        } while ((((c | 32) - 97) >>> 0) < 26);
        run += i - first;
        previous = LATIN;
        continue;
      }
      letters++;
      // After an accented letter a keyword may start (as after a combining mark); kana and Hangul keywords are
      // left to the regular expression.
      framingHint = true;
      if (s === LATIN) {
        const v = c < 0x370 ? LETTER[c]! : 0;
        if (v > 0) hash = nextHash(hash, v);
        else listable = false;
      }
      if (run > longestRun) longestRun = run;
      run = 0;
      i++;
      continue;
    }
    if (k & HAN) {
      // Han characters (most of a Chinese message): each one is a phrase token of its own.
      listRun = strict = kanaHangul = numberedGaps = numberedBefore = 0;
      if (run > longestRun) longestRun = run;
      run = 0;
      if (gapDigits && k & LABEL_AFTER_NUMBER) uncertain = true;
      if (gapBreaks || i - lastHan > 17 || (gapUncertain && breaksPhrase(normalizedGap(text, lastHan + 1, i)))) {
        segment = numbered = spaced = 0;
        RARE.endStretch(text, stretchStart, lastHan, uncertain);
        uncertain = false;
        stretchStart = i;
      } else if (gapNumbered && ++numbered > hanNumbered) {
        hanNumbered = numbered;
      }
      gapBreaks = gapNumbered = gapUncertain = gapDigits = false;
      // This character and the ones right after it, in one tight loop: no gap between them.
      let adjacent = lastHan === i - 1;
      do {
        if (k & FRAMING_HAN) framingHint = true;
        if ((c === 0x5bc6 || c === 0x53e3) && !passwordHint) passwordHint = isPasswordWord(c, lowerAt(text, i + 1));
        if (++segment > hanSegment) hanSegment = segment;
        if (k & (LABEL_START | TRADITIONAL_ONLY)) uncertain = true;
        const simplified = SIMPLIFIED_INDEX[c]!;
        RARE.add(simplified);
        // In neither list (HAN_RANK < 0), read from what is at hand.
        if (simplified < 0 && !(k & TRADITIONAL_ONLY)) spaced = 0;
        else {
          spaced = adjacent ? 1 : spaced + 1;
          if (spaced > hanSpaced) hanSpaced = spaced;
        }
        lastHan = i;
        adjacent = true;
        c = ++i < n ? text.charCodeAt(i) : 32;
        k = CLASS[c]!;
      } while (k & HAN);
      previous = HAN;
      continue;
    }
    i++;
    if (!(k & GAP)) gapBreaks = true;
    else if (!(k & SEPARATOR)) gapUncertain = true;
    if (k & DIGIT) {
      gapNumbered = gapDigits = true;
      const pos = i - 1;
      if ((before & SCRIPT) === LATIN && !ibanHint) ibanHint = ibanAt(text, pos);
      // This digit and the ASCII digits right after it: each extends the cluster, the group and the run by one.
      while (i < n && ((text.charCodeAt(i) - 0x30) >>> 0) < 10) i++;
      const count = i - pos;
      digits += count;
      cluster = (pos - lastDigit <= 4 ? cluster : 0) + count;
      if (cluster > digitCluster) digitCluster = cluster;
      group = (lastDigit === pos - 1 || (lastDigit === pos - 2 && lastSpace === pos - 1) ? group : 0) + count;
      if (group > digitGroup) digitGroup = group;
      digitRun = (lastDigit === pos - 1 ? digitRun : 0) + count;
      lastDigit = i - 1;
      run += count;
      continue;
    }
    // A dot joins groups only after four digits or more, as in a card written "4111.1111.…" (digitWindows):
    // decimals ("0.5", "3.12.4") stay apart.
    if (c === 0x20 || c === 0x09 || c === 0x2d || c === 0x5f || (c === 0x2e && lastDigit === i - 2 && digitRun >= 4)) lastSpace = i - 1;
    if (k & RUN) {
      run++;
      continue;
    }
    if (run > longestRun) longestRun = run;
    // Eight hex digits end right before a blank: they may start a hex key's groups (see keyHint).
    if (run >= 8 && !keyHint && (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d)) keyHint = hexGroupsAt(text, i - 1);
    if (run >= 8 && (c === 0x20 || c === 0x09)) {
      // The run ended right before this blank; it continues the chain when the chain's last blank is just before it.
      chain = chainBlank === i - 2 - run ? chain + run : run;
      if (chain > spacedRuns) spacedRuns = chain;
      chainBlank = i - 1;
    }
    run = 0;
    if (c === 0x40) at = true;
    else if (k & CIRCLED || (c === 0x0a && opensBulletedLine(text, i - 1))) gapNumbered = true;
    else if (k & LOOKALIKE && (before & SCRIPT) === LATIN) mixedScripts = true;
  }
  RARE.endStretch(text, stretchStart, lastHan, uncertain); // ends the last one
  return {
    normalize, invisible, mixedScripts, digits, digitCluster, digitGroup, spacedRuns, latinNumbered, longestRun, latinListRun,
    latinRun, kanaHangulRun, hanSegment, hanNumbered, hanSpaced, hanRare: RARE.rare,
    framingHint, passwordHint, pemHint, keyHint, ibanHint, at,
  };
}

/** text[from, to) normalized: a gap between two Han characters, at most 16 code units. */
function normalizedGap(text: string, from: number, to: number): string {
  let gap = '';
  for (let j = from; j < to; j++) gap += String.fromCharCode(NORMALIZED[text.charCodeAt(j)]!);
  return gap;
}

/**
 * Whether the line break at i opens a bulleted or quoted line ("\n- ", "\n> "), as LINE_MARKER in seed-phrase.ts
 * reads the normalized text: spaces and tabs are skipped here, the marker is LINE_MARKER's to judge.
 */
function opensBulletedLine(text: string, i: number): boolean {
  // Every step runs on every call (a step optimized code never saw run would throw the pre-scan away).
  let j = i;
  let c: number;
  do {
    j++;
    c = j < text.length ? NORMALIZED[text.charCodeAt(j)]! : -1;
  } while (c === 32 || c === 9);
  if (c < 0) return false;
  let marker = LINE_MARKERS[c]!;
  if (marker < 0) LINE_MARKERS[c] = marker = LINE_MARKER.test(`\n${String.fromCharCode(c)}`) ? 1 : 0;
  return marker === 1;
}
/** LINE_MARKER's verdict on "\n" and one character, per code unit (-1: not asked yet): a line break is common. */
const LINE_MARKERS = new Int8Array(0x10000).fill(-1);

/**
 * The dashes right before "BEGIN" at i (a "B"), up to five; 0 when there is no "BEGIN". Normalized (the text is not).
 * Every call and comparison here runs on every call (a step optimized code never saw run would throw it away).
 */
function dashesBeforeBegin(text: string, i: number): number {
  let dashes = 0;
  while (dashes < 5 && normalizedAt(text, i - 1 - dashes) === 0x2d) dashes++;
  let letters = 0;
  while (letters < 4 && normalizedAt(text, i + 1 + letters) === EGIN.charCodeAt(letters)) letters++;
  return letters === 4 ? dashes : 0;
}
const EGIN = 'EGIN';

/**
 * Whether eight hex digits end right before the blank or line break at b and, normalized, one space or tab and eight
 * more follow (SPACED_HEX_HINT), or spaces and tabs, a line break ("\n" or "\r\n"), spaces and tabs and eight more
 * (WRAPPED_HEX_HINT). Reads the blanks after b once (only one run ends right before them), and, like
 * dashesBeforeBegin, every step on every call.
 */
function hexGroupsAt(text: string, b: number): boolean {
  let j = b;
  let blanks = 0; // spaces and tabs before the line break
  let cr = false; // a "\r" that a "\n" must follow
  let lineBreak = false;
  for (let c = normalizedAt(text, j); ; c = normalizedAt(text, ++j)) {
    if ((c === 0x20 || c === 0x09) && !cr) {
      if (!lineBreak) blanks++;
    } else if (c === 0x0d && !cr && !lineBreak) cr = true;
    else if (c === 0x0a && !lineBreak) {
      lineBreak = true;
      cr = false;
    } else break;
  }
  const after = hexAt(text, j);
  const before = hexAt(text, b - 8);
  return !cr && (lineBreak || blanks === 1) && after && before;
}

/** Whether text[from, from + 8) is eight hex digits, normalized. */
function hexAt(text: string, from: number): boolean {
  for (let j = from; j < from + 8; j++) {
    const c = normalizedAt(text, j);
    if (!((c >= 0x30 && c <= 0x39) || ((c | 32) >= 0x61 && (c | 32) <= 0x66))) return false;
  }
  return true;
}

/** Whether the digit at i (after a Latin letter), normalized, follows two capital letters and precedes a digit. */
function ibanAt(text: string, i: number): boolean {
  const a = normalizedAt(text, i - 2);
  const b = normalizedAt(text, i - 1);
  const d = normalizedAt(text, i + 1);
  return a >= 0x41 && a <= 0x5a && b >= 0x41 && b <= 0x5a && d >= 0x30 && d <= 0x39;
}

/** The code unit at i, normalized; -1 outside the text. */
function normalizedAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? NORMALIZED[text.charCodeAt(i)]! : -1;
}

/** 密码/密碼 or 口令, from the first character and the (normalized) one after it. */
const isPasswordWord = (first: number, next: number): boolean =>
  first === 0x5bc6 ? next === 0x7801 || next === 0x78bc : next === 0x4ee4;
