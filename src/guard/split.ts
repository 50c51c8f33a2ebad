// Recovery phrases split across messages: people post half a phrase, then the rest ("my seed is w1 … w6",
// "w7 … w12"). Neither part is a phrase on its own; read together, in order, they are.
//
// Pure: the caller (src/pipeline/split-window.ts) chooses which messages belong together (one customer, one
// conversation, a window of minutes) and what to do with the findings.
import type { Finding } from '../domain/types.ts';
import { detectSeedPhrases, partLabels } from './detectors/seed-phrase.ts';
import { BIP39_LATIN, LATIN_LISTS, LATIN_ROWS, latinRow, List, WORDS, composedWordIndex, SIMPLIFIED_INDEX, TRADITIONAL_INDEX } from './wordlists/index.ts';
import { foldHomoglyphs, normalizeText, originalSpan, visibleText, type VisibleText } from './normalize.ts';

/** One message of the window: its id and its (stored, possibly masked) text. */
export interface MessagePart {
  id: string;
  text: string;
  /**
   * Spans of `text` that are the placeholders of recovery phrases masked already (found in this message alone: a
   * framed half, a shorter phrase with a valid checksum). Each is read as a run of list words, so the parts
   * around it that continue the phrase are found too.
   */
  masked?: readonly { start: number; end: number }[];
}

/**
 * What a masked phrase is read as: nine English list words (in no other BIP39 list), or, for a Chinese
 * continuation, nine characters of the simplified or of the traditional list only. The text before it in its
 * message is read as blanks, so that its label ("my seed phrase: …", which also lets a framed phrase carry
 * misspelt and off-list words) no longer counts: what joins a stand-in must be a phrase by the unframed rules, a
 * valid checksum or 15-25 separated list words in a row (detectors/seed-phrase.ts), and hold MIN_CONTINUATION
 * list words of its own. So a phrase masked in one message and continued with six or more list words in another
 * (12 + 12, 18 + 6, "… the rest: w13 … w24") is found, and prose after a masked phrase is not.
 * Limitation: a masked phrase joins only with English or Chinese continuations, and not with one of three to five
 * words.
 */
const STAND_INS = [
  'zebra wrist yellow youth vivid vacuum tomato umbrella walnut',
  // Another set when the first finds nothing: a window of 12 or 15 words across a stand-in can have a valid
  // checksum by chance (about one continuation in seven), which the detector takes instead of the whole run,
  // and which holds too few words of the continuation to count.
  'jungle kitten lobster hammer glimpse frozen dolphin cabbage breeze',
  'orbit pumpkin rhythm saddle thunder velvet wisdom oyster nephew',
  'castle meadow pudding shadow timber wheat harvest giraffe gossip',
  // A Chinese continuation ("助记词前半部分：…", then "后半部分：…"): set apart one by one, as list words written
  // with spaces are.
  '围 远 态 减 树 叶 鱼 视 仅',
  '圍 遠 態 減 樹 葉 魚 視 僅',
];
/** List words of its own a phrase that continues a masked one must hold beyond the stand-ins. */
const MIN_CONTINUATION = 6;

/** A part's text with its masked phrases read as a stand-in, and how to map its offsets back. */
interface ReadPart {
  text: string;
  /** Where each stand-in lies in `text`, and the placeholder's span in the part's own text. */
  standIns: { from: number; to: number; start: number; end: number }[];
}

function readPart(part: MessagePart, standIn: string): ReadPart {
  const spans = [...(part.masked ?? [])].sort((a, b) => a.start - b.start);
  if (!spans.length) return { text: part.text, standIns: [] };
  let text = '';
  let copied = 0;
  const standIns: ReadPart['standIns'] = [];
  for (const { start, end } of spans) {
    if (start < copied) continue;
    // Before the first masked phrase: blanks of the same length (its label must not frame what follows).
    text += copied === 0 ? ' '.repeat(start) : part.text.slice(copied, start);
    standIns.push({ from: text.length, to: text.length + standIn.length, start, end });
    text += standIn;
    copied = end;
  }
  return { text: text + part.text.slice(copied), standIns };
}

/**
 * The span [s, e) of a read part's text as spans of the part's own text, without the stand-ins (those phrases are
 * masked already) and without the separators left at their edges.
 */
function ownSpans(read: ReadPart, original: string, s: number, e: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let shift = 0; // own offset minus read offset, before the current position
  let from = s;
  const push = (a: number, b: number, trimStart: boolean, trimEnd: boolean) => {
    while (a < b && (trimStart ? SEPARATOR : /\s/).test(original[a]!)) a++;
    while (b > a && (trimEnd ? SEPARATOR : /\s/).test(original[b - 1]!)) b--;
    if (b > a) out.push({ start: a, end: b });
  };
  let afterStandIn = false;
  for (const standIn of read.standIns) {
    if (standIn.to <= from) {
      shift = standIn.end - standIn.to;
      continue;
    }
    if (standIn.from >= e) break;
    push(from + shift, standIn.from + shift, afterStandIn, true);
    from = standIn.to;
    shift = standIn.end - standIn.to;
    afterStandIn = true;
  }
  if (from < e) push(from + shift, e + shift, afterStandIn, false);
  return out;
}
const SEPARATOR = /[\s,;.:]/;

const LEADING_MENTIONS = /^\s*(?:@[\w.]+[\s,:]*)*/;

/** Most characters of the window read together; older parts beyond it are left out. */
const MAX_WINDOW_CHARS = 16_384;

/**
 * Finds recovery phrases that span two or more of `parts` (one customer's recent messages in one conversation,
 * oldest first), reading them joined by line breaks. Returns, per message id, the `seed_phrase` spans that fall
 * in that message (UTF-16 offsets into its own text, end exclusive); messages with none are absent. A phrase
 * that lies inside one message is not reported here: detect() finds it on its own.
 *
 * The parts are read twice at most: first whole (without leading mentions: "@support_bot w7 w8 …"); then, if
 * that finds nothing, with the text between their runs of list words cut out at each join, so framing between
 * the halves ("… first half: w1 … w6", "and the rest: w7 … w12") does not break the phrase, while the label
 * before the first words ("my seed is …") still counts. Limitation: the label is kept only in the first part
 * with three list words in a row, so an earlier unrelated message with such a run loses it (a phrase with a
 * valid checksum is found all the same). Invisible characters and look-alike letters are read as in detect().
 * A part's masked phrases (MessagePart.masked) are read as list words, so a part that continues one is found
 * (see STAND_INS; the masked part itself gets no new span). Linear in the total length of the parts.
 */
export function findSplitPhrases(parts: readonly MessagePart[]): Map<string, Finding[]> {
  if (parts.length < 2) return new Map();
  // The newest parts, up to the size limit.
  let first = parts.length - 1;
  for (let total = parts[first]!.text.length; first > 0 && total + parts[first - 1]!.text.length + 1 <= MAX_WINDOW_CHARS; first--) {
    total += parts[first - 1]!.text.length + 1;
  }
  const window = parts.slice(first);
  const masked = window.some((part) => part.masked?.length);
  for (const standIn of masked ? STAND_INS : STAND_INS.slice(0, 1)) {
    const found = findWith(window, standIn);
    if (found.size) return found;
  }
  return new Map();
}

/** findSplitPhrases over the window, with masked phrases read as `standIn`. */
function findWith(parts: readonly MessagePart[], standIn: string): Map<string, Finding[]> {
  const window = parts.map((part) => {
    const read = readPart(part, standIn);
    const visible = visibleText(read.text);
    return { id: part.id, original: part.text, read, visible: { ...visible, text: blankPartLabels(foldHomoglyphs(visible.text)) } };
  });
  const mentions = (text: string) => LEADING_MENTIONS.exec(text)?.[0].length ?? 0;
  const whole = findIn(window, (text) => [mentions(text), text.length]);
  if (whole.size > 0) return whole;
  // Framing cut out at the joins only: the first part with words keeps what leads up to them (its label:
  // "my recovery phrase: w1 …"), the last keeps what follows ("w12, thanks").
  const runs = window.map(({ visible }) => wordRunsOf(visible.text));
  const opening = runs.findIndex((run) => run !== null);
  return findIn(window, (text, index) => {
    const run = runs[index];
    if (!run) return [mentions(text), text.length];
    return [index === opening ? mentions(text) : run[0], index === window.length - 1 ? text.length : run[1]];
  });
}

/**
 * `text` with its part labels ("后半部分：", "part 2:", see detectors/seed-phrase.ts) as blanks of the same length:
 * across messages a label only says where a part starts, and "后半部分" would otherwise be read as four list words.
 */
function blankPartLabels(text: string): string {
  const spans = partLabels(text);
  let out = '';
  let copied = 0;
  for (let k = 0; k < spans.length; k += 2) {
    const start = spans[k]!;
    const end = spans[k + 1]!;
    out += text.slice(copied, start) + ' '.repeat(end - start);
    copied = end;
  }
  return copied ? out + text.slice(copied) : text;
}

/** A letter or digit of any script: a phrase starts and ends with one. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

type Slicer = (text: string, index: number) => [number, number];

function findIn(window: readonly { id: string; original: string; read: ReadPart; visible: VisibleText }[], sliceOf: Slicer): Map<string, Finding[]> {
  const found = new Map<string, Finding[]>();
  // Part i's visible text[from[i]..to[i]) sits at starts[i] in the joined text.
  const starts: number[] = [];
  const slices: [number, number][] = [];
  let joined = '';
  for (const [index, { visible }] of window.entries()) {
    if (joined) joined += '\n';
    const slice = sliceOf(visible.text, index);
    starts.push(joined.length);
    slices.push(slice);
    joined += visible.text.slice(slice[0], slice[1]);
  }
  for (const phrase of detectSeedPhrases(normalizeText(joined))) {
    const pieces: { index: number; spans: { start: number; end: number }[] }[] = [];
    window.forEach(({ original, read, visible }, index) => {
      const [sliceFrom, sliceTo] = slices[index]!;
      const offset = starts[index]! - sliceFrom; // joined position minus visible-text position
      const from = Math.max(phrase.start - offset, sliceFrom);
      const to = Math.min(phrase.end - offset, sliceTo);
      if (to <= from) return;
      // What is not a word at the cut (whitespace, a blanked part label's colon) is not part of the phrase.
      let s = from;
      let e = to;
      while (s < e && !WORD_CHAR.test(visible.text[s]!)) s++;
      while (e > s && !WORD_CHAR.test(visible.text[e - 1]!)) e--;
      if (e <= s) return;
      const span = originalSpan(visible, s, e);
      pieces.push({ index, spans: read.standIns.length ? ownSpans(read, original, span.start, span.end) : [span] });
    });
    // A part counts even when only its masked phrase is in this one: the rest is then a continuation of it.
    if (pieces.length < 2) continue;
    if (pieces.some(({ index }) => window[index]!.read.standIns.length)) {
      // The detector may take a window with a valid checksum (by chance, the stand-ins being no real words) that
      // stops inside the continuation: its run of list words is the phrase's all the same.
      for (const piece of pieces) piece.spans = piece.spans.map((span) => wholeRun(blankPartLabels(window[piece.index]!.original), span));
      if (listWordsIn(window, pieces) < MIN_CONTINUATION) continue;
    }
    for (const { index, spans } of pieces) {
      if (!spans.length) continue;
      const id = window[index]!.id;
      const list = found.get(id) ?? [];
      for (const { start, end } of spans) list.push({ type: 'seed_phrase', start, end });
      found.set(id, list);
    }
  }
  return found;
}

/** `span` grown over the list words that continue it on either side, separated by spaces or commas only. */
function wholeRun(text: string, span: { start: number; end: number }): { start: number; end: number } {
  const tokens = [...text.matchAll(TOKEN)];
  let { start, end } = span;
  const gap = (from: number, to: number) => /^[\s,;]*$/.test(text.slice(from, to));
  for (const m of tokens) {
    if (m.index >= end && gap(end, m.index) && isListWord(m[0])) end = m.index + m[0].length;
  }
  for (let i = tokens.length - 1; i >= 0; i--) {
    const m = tokens[i]!;
    const to = m.index + m[0].length;
    if (to <= start && gap(to, start) && isListWord(m[0])) start = m.index;
  }
  return { start, end };
}

/** How many list words the pieces' spans hold in their parts' own text. */
function listWordsIn(window: readonly { original: string }[], pieces: { index: number; spans: { start: number; end: number }[] }[]): number {
  let n = 0;
  for (const { index, spans } of pieces) {
    for (const { start, end } of spans) {
      for (const m of visibleText(window[index]!.original.slice(start, end)).text.matchAll(TOKEN)) if (isListWord(m[0])) n++;
    }
  }
  return n;
}

/**
 * From the first to the last run of three or more words of one list in `text`; null when it has none.
 * "One list": "seed phrase first half" are English list words, but "rest" only Italian, so it ends a run.
 */
function wordRunsOf(text: string): [number, number] | null {
  let from = -1;
  let to = -1;
  let run = 0;
  let runStart = 0;
  let lists = 0; // bit per list (BIP39 Latin lists 0-5; 7 Han, 8 kana, 9 Hangul) holding every word of the run
  for (const m of text.matchAll(TOKEN)) {
    const mask = listsOf(m[0]);
    if (run > 0 && (lists & mask) !== 0) {
      run++;
      lists &= mask;
    } else {
      run = mask ? 1 : 0;
      lists = mask;
      runStart = m.index;
    }
    if (run >= 3) {
      if (from < 0) from = runStart;
      to = m.index + m[0].length;
    }
  }
  return from < 0 ? null : [from, to];
}

function listsOf(token: string): number {
  const c = token.charCodeAt(0);
  if (c >= 0x3400) return isListWord(token) ? 1 << (c >= 0xac00 ? 9 : 7) : 0;
  if (c >= 0x3041 && c <= 0x30ff) return isListWord(token) ? 1 << 8 : 0;
  // Whole words only, in the BIP39 lists that hold exactly this word: a shared 4-letter prefix ("fami":
  // English "family", Italian "famiglia") says nothing about which list a run is in, and Monero's list holds
  // common framing words ("rest"). Limitation: framed halves of a Monero seed are not cut apart.
  const row = latinRow(token, 0, token.length);
  if (row < 0) return 0;
  const word = bare(token);
  let mask = 0;
  for (const list of BIP39_LATIN) {
    const index = LATIN_ROWS[row * LATIN_LISTS + list] ?? -1;
    if (index >= 0 && bare(WORDS[list][index] ?? '') === word) mask |= 1 << list;
  }
  return mask;
}
const bare = (word: string) => word.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/**
 * Whether a message could be part of a split phrase: it holds three or more word-list words in a row. A cheap
 * test, so callers look up a customer's earlier messages only for messages that pass it.
 */
export function mayBePhrasePart(text: string): boolean {
  let run = 0;
  for (const m of visibleText(text).text.matchAll(TOKEN)) {
    run = isListWord(m[0]) ? run + 1 : 0;
    if (run >= 3) return true;
  }
  return false;
}
const TOKEN = /[A-Za-z\u00c0-\u024f\u0300-\u036f]+|[\u3041-\u30ff]+|[\uac00-\ud7a3]+|[\u3400-\u4dbf\u4e00-\u9fff]/g;
function isListWord(token: string): boolean {
  const c = token.charCodeAt(0);
  if (c >= 0x3400 && c <= 0x9fff) return (SIMPLIFIED_INDEX[c] ?? -1) >= 0 || (TRADITIONAL_INDEX[c] ?? -1) >= 0;
  if (c >= 0x3041 && c <= 0x30ff) return composedWordIndex(List.Japanese, token) >= 0;
  if (c >= 0xac00 && c <= 0xd7a3) return composedWordIndex(List.Korean, token) >= 0;
  return latinRow(token, 0, token.length) !== -1;
}
