// The guard's detection entry point: runs every detector over the message and keeps one finding per region.
//
// What this deliberately leaves out: deciding what to mask (policy.ts, mask.ts) and what to do on the platform
// (the pipeline). detect() only says where sensitive data is.
import type { Finding, FindingType } from '../domain/types.ts';
import { detectApiTokens } from './detectors/api-token.ts';
import { detectBankAccounts } from './detectors/bank-account.ts';
import { detectOtps, detectPasswords } from './detectors/credentials.ts';
import { detectEmails } from './detectors/email.ts';
import { detectNationalIds } from './detectors/national-id.ts';
import { detectPaymentCards } from './detectors/payment-card.ts';
import { detectPhones } from './detectors/phone.ts';
import { detectPrivateKeys } from './detectors/private-key.ts';
import { detectSeedPhrases, FRAMING_ANCHOR } from './detectors/seed-phrase.ts';
import type { Candidate, Detector } from './detectors/util.ts';
import { foldHomoglyphs, normalizeText, originalSpan, visibleText, type VisibleText } from './normalize.ts';
import { prescan, type TextStats } from './prescan.ts';

/** What the pre-scan tells of one detector: it cannot find anything, it may, or it may if its hint is in the text. */
const enum Gate {
  Skip,
  Run,
  IfHint,
}

/**
 * Whether a recovery phrase may be in the text (detectSeedPhrases finds none otherwise): eleven Latin list words in a
 * row, or eight close together in a numbered list, eleven kana or Hangul words, or, in Han script, what
 * seed-phrase.ts needs before it reads a segment (mayHoldPhrase): a run that looks random, characters set apart one
 * by one, a numbered list; or, for any of these scripts, a keyword (FRAMING_ANCHOR, the hint).
 */
function phraseGate(s: TextStats): Gate {
  if (s.latinRun >= 11 || s.kanaHangulRun >= 11 || s.hanRare || s.hanSpaced >= 11) return Gate.Run;
  if ((s.latinListRun >= 8 && s.latinNumbered >= 9) || (s.hanSegment >= 11 && s.hanNumbered >= 9)) return Gate.Run;
  return (s.latinListRun >= 8 || s.hanSegment >= 11) && s.framingHint ? Gate.IfHint : Gate.Skip;
}
const gateOf = (run: boolean, ifHint = false): Gate => (run ? Gate.Run : ifHint ? Gate.IfHint : Gate.Skip);

/**
 * Every detector, with what a message must at least contain for it to find anything (see prescan.ts), and for
 * some a literal hint the normalized text must then hold: most ordinary messages skip every detector, and are not
 * even normalized. Each condition is necessary for every shape the detector knows (e.g. 64 digits for a Solana
 * byte array, a 51-character run for WIF/hex keys, a 13-digit group for a card, "-----BEGIN" for a PEM block, a
 * hex line break for a wrapped key, 49 characters in spaced runs for a key in short groups).
 */
export const DETECTORS: readonly { detect: Detector; gate: (s: TextStats) => Gate; hint?: RegExp }[] = [
  { detect: detectSeedPhrases, gate: phraseGate, hint: FRAMING_ANCHOR },
  {
    // A key wrapped over at most four lines has a line of 16 hex or more (WRAPPED_HEX_HINT); a key in space-separated
    // groups (SPACED_HEX_HINT) has a group of 16 or more, or else 49 hex in groups followed by blanks (spacedRuns).
    // Either holds a hex line break or two hex groups, and a PEM block "-----BEGIN": keyHint.
    detect: detectPrivateKeys,
    gate: (s) =>
      gateOf(
        s.longestRun >= 51 || s.digits >= 64 ||
          ((s.longestRun >= 16 || s.spacedRuns >= 49 || (s.longestRun >= 10 && s.pemHint)) && s.keyHint),
      ),
  },
  // The shortest token shape is a Slack token, "xoxb-" and ten more (api-token.ts, SHAPES); a labelled value has 16.
  { detect: detectApiTokens, gate: (s) => gateOf(s.longestRun >= 15) },
  { detect: detectPasswords, gate: (s) => gateOf(s.passwordHint) },
  { detect: detectOtps, gate: (s) => gateOf(s.digitGroup >= 4) },
  {
    detect: detectPaymentCards,
    gate: (s) => gateOf(s.digitGroup >= 13, s.digitGroup >= 3),
    hint: /cvv|cvc|cid|security\s*code|安全码/i,
  },
  {
    detect: detectBankAccounts,
    gate: (s) => gateOf(s.digitGroup >= 16 || (s.digits >= 12 && s.ibanHint)),
  },
  { detect: detectNationalIds, gate: (s) => gateOf(s.digitGroup >= 9) },
  { detect: detectPhones, gate: (s) => gateOf(s.digitCluster >= 7) },
  { detect: detectEmails, gate: (s) => gateOf(s.at) },
];

/** Which finding survives an overlap: the riskier, more specific type (a bot token is not a phone number). */
const RANK: Record<FindingType, number> = {
  private_key: 100,
  seed_phrase: 95,
  api_token: 90,
  password: 80,
  otp: 75,
  national_id: 70,
  bank_account: 65,
  payment_card: 60,
  phone: 30,
  email: 25,
};
// A label that vouches for a value lifts it over an unlabelled look-alike ("card: …" beats a bare ID shape).
const LABEL_BONUS = 15;
const rankOf = (c: Candidate): number => RANK[c.type] + (c.labelled ? LABEL_BONUS : 0);

const plainFinding = (c: Candidate): Finding => ({ type: c.type, start: c.start, end: c.end });

/**
 * Keeps a non-overlapping subset, best rank first (then the longer span, then the earlier one).
 * Positions taken so far are marked in a bitmap, so the cost is the total length of the candidates: each
 * detector reports non-overlapping spans, which keeps that total within a small multiple of the text length.
 */
export function resolveOverlaps(candidates: Candidate[], textLength: number): Finding[] {
  if (candidates.length === 0) return [];
  const sorted = [...candidates].sort((a, b) => a.start - b.start || a.end - b.end);
  let overlapping = false;
  for (let i = 1; i < sorted.length && !overlapping; i++) {
    overlapping = (sorted[i]?.start ?? 0) < (sorted[i - 1]?.end ?? 0);
  }
  if (!overlapping) return sorted.map(plainFinding);

  const byRank = [...candidates].sort(
    (a, b) => rankOf(b) - rankOf(a) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const taken = new Uint8Array(textLength);
  const kept: Finding[] = [];
  for (const c of byRank) {
    let free = true;
    for (let i = c.start; i < c.end && free; i++) free = taken[i] === 0;
    if (!free) continue;
    taken.fill(1, c.start, c.end);
    kept.push(plainFinding(c));
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Finds sensitive data in a message. Returns findings sorted by start, non-overlapping, with UTF-16 offsets
 * into `text` (end exclusive). Linear in the length of the text, whatever its content.
 */
export function detect(text: string): Finding[] {
  if (text.length === 0) return [];
  // Invisible characters are taken out (offsets are mapped back at the end) and look-alike letters folded; digits
  // and separators in every form are normalized once, for every detector, without changing offsets.
  let stats = prescan(text);
  let visible: VisibleText = { text, origin: null };
  if (stats.invisible) {
    visible = visibleText(text);
    if (visible.origin) stats = prescan(visible.text);
  }
  if (stats.mixedScripts) {
    const folded = foldHomoglyphs(visible.text); // same length: offsets unchanged
    if (folded !== visible.text) {
      visible = { text: folded, origin: visible.origin };
      stats = prescan(folded);
    }
  }
  // Normalized only once a detector needs the text: most messages need no detector at all.
  let normalized: string | null = null;
  const candidates: Candidate[] = [];
  for (const { detect: run, gate, hint } of DETECTORS) {
    const g = gate(stats);
    if (g === Gate.Skip) continue;
    normalized ??= stats.normalize ? normalizeText(visible.text, true) : visible.text;
    if (g === Gate.IfHint && !hint?.test(normalized)) continue;
    for (const c of run(normalized)) if (c.end > c.start) candidates.push(c);
  }
  if (normalized === null || candidates.length === 0) return [];
  const found = resolveOverlaps(candidates, normalized.length);
  return visible.origin ? found.map((f) => ({ ...f, ...originalSpan(visible, f.start, f.end) })) : found;
}
