// Recovery phrases split across messages: people post half a phrase, then the rest ("my seed is w1 … w6",
// "w7 … w12"). Neither part is a phrase on its own; read together, in order, they are.
//
// Pure: the caller (src/pipeline/split-window.ts) chooses which messages belong together (one customer, one
// conversation, a window of minutes) and what to do with the findings.
import type { Finding } from '../domain/types.ts';
import { detectSeedPhrases } from './detectors/seed-phrase.ts';
import { latinRow, List, composedWordIndex, SIMPLIFIED_INDEX, TRADITIONAL_INDEX } from './wordlists/index.ts';
import { normalizeText } from './normalize.ts';

/** One message of the window: its id and its (stored, possibly masked) text. */
export interface MessagePart {
  id: string;
  text: string;
}

const LEADING_MENTIONS = /^\s*(?:@[\w.]+[\s,:]*)*/;

/** Most characters of the window read together; older parts beyond it are left out. */
const MAX_WINDOW_CHARS = 16_384;

/**
 * Finds recovery phrases that span two or more of `parts` (one customer's recent messages in one conversation,
 * oldest first), reading them joined by line breaks. Returns, per message id, the `seed_phrase` spans that fall
 * in that message (UTF-16 offsets into its own text, end exclusive); messages with none are absent. A phrase
 * that lies inside one message is not reported here: detect() finds it on its own.
 * Linear in the total length of the parts.
 */
export function findSplitPhrases(parts: readonly MessagePart[]): Map<string, Finding[]> {
  const found = new Map<string, Finding[]>();
  if (parts.length < 2) return found;
  // The newest parts, up to the size limit.
  let first = parts.length - 1;
  for (let total = parts[first]!.text.length; first > 0 && total + parts[first - 1]!.text.length + 1 <= MAX_WINDOW_CHARS; first--) {
    total += parts[first - 1]!.text.length + 1;
  }
  const window = parts.slice(first);
  // Each part is read without the mentions it opens with ("@support_bot w7 w8 …": in groups, customers
  // address the bot in every message). starts[i] is where part i's text[skip[i]..] sits in the joined text.
  const starts: number[] = [];
  const skips: number[] = [];
  let joined = '';
  for (const part of window) {
    if (joined) joined += '\n';
    const skip = LEADING_MENTIONS.exec(part.text)?.[0].length ?? 0;
    starts.push(joined.length - skip);
    skips.push(skip);
    joined += part.text.slice(skip);
  }
  for (const phrase of detectSeedPhrases(normalizeText(joined))) {
    const pieces: { index: number; start: number; end: number }[] = [];
    window.forEach((part, index) => {
      const from = Math.max(phrase.start, starts[index]! + skips[index]!) - starts[index]!;
      const to = Math.min(phrase.end, starts[index]! + part.text.length) - starts[index]!;
      if (to <= from) return;
      // Whitespace at the cut is not part of the phrase.
      let s = from;
      let e = to;
      while (s < e && /\s/.test(part.text[s]!)) s++;
      while (e > s && /\s/.test(part.text[e - 1]!)) e--;
      if (e > s) pieces.push({ index, start: s, end: e });
    });
    if (pieces.length < 2) continue;
    for (const { index, start, end } of pieces) {
      const id = window[index]!.id;
      const list = found.get(id) ?? [];
      list.push({ type: 'seed_phrase', start, end });
      found.set(id, list);
    }
  }
  return found;
}

/**
 * Whether a message could be part of a split phrase: it holds three or more word-list words in a row. A cheap
 * test, so callers look up a customer's earlier messages only for messages that pass it.
 */
export function mayBePhrasePart(text: string): boolean {
  let run = 0;
  for (const m of text.matchAll(TOKEN)) {
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
