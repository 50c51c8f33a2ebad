// BIP39 recovery phrases in English and simplified Chinese.
//
// The text is read once as a stream of tokens (an ASCII word, or one Han character). Tokens joined by list-like
// separators (spaces, commas, newlines, "1." numbering) form a segment; inside a segment, consecutive wordlist
// tokens form a run. A run becomes a finding when its evidence is strong enough:
//   - a window of 12/15/18/21/24 words with a valid BIP39 checksum;
//   - explicit framing ("seed phrase", "助记词"...) near the run, which also tolerates one word not in the list
//     (a typo) or a missing word;
//   - numbering ("1. … 12. …"), or 15-25 separated list words in a row, which ordinary prose never produces.
// The Chinese list is the 2048 most frequent characters, so ordinary Chinese prose is itself a long run of list
// characters. Phrases written without separators ("dense") are therefore only accepted when their characters
// look random: the list is ordered by frequency, so a real phrase has a high mean rank and few top-100
// characters, while prose is dominated by the most frequent ones.
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as chinese } from '@scure/bip39/wordlists/simplified-chinese.js';
import { candidate, isAsciiLetter, isHan, sha256, type Candidate, type Detector } from './util.ts';

const VALID_LENGTHS = [24, 21, 18, 15, 12] as const;
/** A framed phrase may be one word short; beyond 25 a run is prose or garbage, not one phrase. */
const MIN_FRAMED = 11;
const MAX_PHRASE = 25;

// English words are keyed by a base-27 number of their letters, so lookups allocate no substrings.
// BIP39 English words are 3-8 letters: 27^8 stays well inside the exact integer range.
function wordKey(text: string, start: number, end: number): number {
  let key = 0;
  for (let i = start; i < end; i++) key = key * 27 + ((text.charCodeAt(i) | 32) - 96);
  return key;
}
const EN_INDEX = new Map<number, number>();
english.forEach((w, i) => EN_INDEX.set(wordKey(w, 0, w.length), i));
const ZH_INDEX = new Int16Array(0x10000).fill(-1);
chinese.forEach((w, i) => {
  ZH_INDEX[w.charCodeAt(0)] = i;
});

const FRAMING =
  /(?<![a-z])(?:seed\s*(?:phrase|words?|key)|my\s+seed|seed(?=\s*[:=-])|mnemonic(?:\s*(?:phrase|words?))?|(?:recovery|backup|secret(?:\s*recovery)?|wallet|restore|security|import|my|the|these)\s*(?:phrase|words?|seed)|srp|(?:12|twelve|15|18|21|24|twenty[\s-]*four)[\s-]*words?|passphrase)(?![a-z])|助记[词符码]?|记忆词|恢复(?:短语|词|种子)|种子(?:短语|词|码)|备份(?:短语|词|的?单词)|私密恢复|密语|钱包(?:短语|词)|(?:12|24|十二|二十四)\s*个?(?:单词|词)/gi;
/** Characters that join "助记词" to the phrase itself ("助记词是…", "助记词如下…"). */
const ZH_CONNECTORS = new Set(['是', '为', '如', '下', '就']);

const enum Gap {
  Break,
  Separator,
  Numbered,
  Adjacent,
}
const SEP = `[\\s,;|/\\-–—•·*"'\`“”‘’、]`;
const GAP = new RegExp(`${SEP}*(?:[(\\[#]?\\d{1,2}[)\\].:、]?${SEP}*)?`, 'y');

function gapKind(text: string, from: number, to: number): Gap {
  if (to === from) return Gap.Adjacent;
  if (to - from === 1) {
    const c = text.charCodeAt(from);
    if (c === 32 || c === 10 || c === 44) return Gap.Separator;
  }
  if (to - from > 12) return Gap.Break;
  GAP.lastIndex = from;
  const m = GAP.exec(text);
  if (!m || from + m[0].length !== to) return Gap.Break;
  return /\d/.test(m[0]) ? Gap.Numbered : Gap.Separator;
}

/** BIP39 checksum over word indices idx[s, s+n). */
function checksumValid(idx: Int32Array, s: number, n: number): boolean {
  const entropyBytes = (n / 3) * 4;
  const checksumBits = n / 3;
  const bytes = new Uint8Array(entropyBytes + 1);
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
  const hash = sha256(bytes.subarray(0, entropyBytes));
  return (bytes[entropyBytes] ?? 0) >> (8 - checksumBits) === (hash[0] ?? 0) >> (8 - checksumBits);
}

/** Whether dense Chinese characters look random rather than like prose (see the header). */
function looksRandom(idx: Int32Array, s: number, e: number): boolean {
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
  return count > 0 && sum / count >= 550 && frequent <= Math.max(2, Math.ceil(count / 6));
}

/** How many different words idx[s, e) holds (at most 24: a Set is fine). */
function distinct(idx: Int32Array, s: number, e: number): number {
  return new Set(idx.subarray(s, e)).size;
}

/** Tokens of one segment, in parallel typed arrays: segments can be long and this loop is the hot path. */
class Segment {
  lang = -1;
  length = 0;
  /** adjacentBefore[k]: how many of the gaps before tokens 1..k are Adjacent (no separator). */
  adjacentBefore = new Int32Array(64);
  start = new Int32Array(64);
  end = new Int32Array(64);
  idx = new Int32Array(64);
  gap = new Uint8Array(64);
  clear(): void {
    this.lang = -1;
    this.length = 0;
  }
  push(lang: number, start: number, end: number, idx: number, gap: Gap): void {
    if (this.length === this.start.length) this.grow();
    const k = this.length++;
    this.lang = lang;
    this.start[k] = start;
    this.end[k] = end;
    this.idx[k] = idx;
    this.gap[k] = gap;
    this.adjacentBefore[k] = (k > 0 ? (this.adjacentBefore[k - 1] ?? 0) : 0) + (gap === Gap.Adjacent ? 1 : 0);
  }
  private grow(): void {
    const double = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.start = double(this.start);
    this.end = double(this.end);
    this.idx = double(this.idx);
    this.gap = double(this.gap);
    this.adjacentBefore = double(this.adjacentBefore);
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
}

/** Framing keywords of one text, found lazily (most texts never have a run long enough to need them). */
class Framing {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  constructor(text: string) {
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

function emit(scan: Scan, s: number, e: number): void {
  const { seg } = scan;
  scan.out.push(candidate('seed_phrase', seg.start[s] ?? 0, seg.end[e - 1] ?? 0));
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
const everyStart = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

/** Evaluates a run [a, b) of wordlist tokens; returns whether it produced a finding. */
function evaluateRun(scan: Scan, a: number, b: number, framedHint: boolean | null = null): boolean {
  const { seg } = scan;
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
  const length = b - a;
  if (length < (framed ? MIN_FRAMED : 12)) return false;

  for (const n of VALID_LENGTHS) {
    if (n > length) continue;
    // Unframed, a phrase must sit at (or next to) an edge of its run. Framed ("my recovery phrase is …, please
    // help"), the sentence around it may be made of list words too and the phrase can sit anywhere in a short
    // run: try every start there (runs are bounded, so this stays linear).
    const starts = framed && length <= FRAMED_SEARCH_MAX ? everyStart(a, b - n) : [a, b - n, a + 1, b - n - 1, a + 2, b - n - 2, a + 3, b - n - 3];
    for (const s of starts) {
      if (s < a || s + n > b) continue;
      const dense = seg.dense(s, s + n);
      // Unframed dense Chinese must be exactly the whole run: a window cut out of prose proves nothing.
      if (dense && !framed && !(s === runStart && s + n === b)) continue;
      if (dense && !looksRandom(seg.idx, s, s + n)) continue;
      // A window cut out of a longer run must also look like a phrase, not a word repeated ("word word …").
      if ((s !== runStart || s + n !== b) && distinct(seg.idx, s, s + n) < n - 2) continue;
      if (!checksumValid(seg.idx, s, n)) continue;
      emit(scan, s, s + n);
      // Two phrases pasted back to back: look at what is left on either side (bounded, not for long runs).
      if (length <= 64) {
        if (s - a >= 12) evaluateRun(scan, a, s, framed);
        if (b - s - n >= 12) evaluateRun(scan, s + n, b, framed);
      }
      return true;
    }
  }

  // No checksum: framing, numbering or sheer length must carry the decision.
  if (seg.lang === 1) while (b - a > 12 && ZH_CONNECTORS.has(scan.text[seg.start[a] ?? 0] ?? '')) a++;
  const e = Math.min(b, a + MAX_PHRASE);
  const len = e - a;
  const dense = seg.dense(a, e);
  if (dense && !looksRandom(seg.idx, a, e)) return false;
  const whole = b - a <= MAX_PHRASE;
  const numbered = seg.numberedGaps(a, e) >= len - 2;
  if (framed || (whole && len >= 12 && (numbered || (!dense && len >= 15)))) {
    emit(scan, a, e);
    return true;
  }
  return false;
}

// Words that join a framing sentence to the phrase ("my seed phrase is …"): never taken for a typo.
const CONNECTIVES = new Set(
  'is are was were be the and but for with from here below its his her our your their them they this that'.split(' '),
);

/** One token not in the list between two runs: a typo in a phrase that is explicitly framed. */
function evaluateTypo(scan: Scan, x: number, runA: [number, number] | null, runB: [number, number] | null): void {
  const { seg, text } = scan;
  if (seg.lang === 0) {
    const word = text.slice(seg.start[x], seg.end[x]).toLowerCase();
    if (word.length < 3 || word.length > 10 || CONNECTIVES.has(word)) return;
  }
  let a = runA ? runA[0] : x;
  if (runA) {
    const trimmed = afterLeadingKeyword(scan, runA[0], runA[1]);
    if (trimmed >= 0) a = trimmed;
  }
  const b = runB ? runB[1] : x + 1;
  if (b - a < MIN_FRAMED || b - a > MAX_PHRASE + 2) return;
  if (!framingOf(scan).near(seg.start[a] ?? 0, seg.end[b - 1] ?? 0)) return;
  if (seg.dense(a, b) && !looksRandom(seg.idx, a, b)) return;
  emit(scan, a, Math.min(b, a + MAX_PHRASE));
}

function analyze(scan: Scan): void {
  const { seg } = scan;
  const n = seg.length;
  if (n < MIN_FRAMED) return;
  // Maximal runs of wordlist tokens, and which of them produced a finding.
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
  const flagged: boolean[] = [];
  for (let r = 0; r < runs.length; r++) {
    const [a, b] = runs[r] ?? [0, 0];
    flagged[r] = b - a >= MIN_FRAMED && evaluateRun(scan, a, b);
  }
  // Typos: a single non-list token with runs on either side, together long enough to be a phrase.
  let r = 0;
  for (let x = 0; x < n; x++) {
    if ((seg.idx[x] ?? -1) >= 0) continue;
    while (r < runs.length && (runs[r]?.[1] ?? 0) <= x) r++;
    const before = r > 0 && runs[r - 1]?.[1] === x ? r - 1 : -1;
    const after = runs[r]?.[0] === x + 1 ? r : -1;
    if (flagged[before] === true || flagged[after] === true) continue;
    const runA = before >= 0 ? (runs[before] ?? null) : null;
    const runB = after >= 0 ? (runs[after] ?? null) : null;
    if ((runA ? runA[1] - runA[0] : 0) + (runB ? runB[1] - runB[0] : 0) >= MIN_FRAMED - 1) {
      evaluateTypo(scan, x, runA, runB);
    }
  }
}

// One segment buffer for all calls: detection is synchronous, and reusing it spares an allocation per message.
const SEGMENT = new Segment();

export const detectSeedPhrases: Detector = (text) => {
  const seg = SEGMENT;
  seg.clear();
  const scan: Scan = { text, seg, out: [], framing: null };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let lang: number;
    let end: number;
    let idx: number;
    if (isAsciiLetter(c)) {
      end = i + 1;
      while (end < n && isAsciiLetter(text.charCodeAt(end))) end++;
      lang = 0;
      idx = end - i >= 3 && end - i <= 8 ? (EN_INDEX.get(wordKey(text, i, end)) ?? -1) : -1;
    } else if (isHan(c)) {
      end = i + 1;
      lang = 1;
      idx = ZH_INDEX[c] ?? -1;
    } else {
      i++;
      continue;
    }
    let gap = Gap.Break;
    if (seg.length > 0) {
      gap = seg.lang === lang ? gapKind(text, seg.end[seg.length - 1] ?? 0, i) : Gap.Break;
      if (gap === Gap.Break) {
        analyze(scan);
        seg.clear();
      }
    }
    seg.push(lang, i, end, idx, gap);
    i = end;
  }
  analyze(scan);
  return scan.out;
};
