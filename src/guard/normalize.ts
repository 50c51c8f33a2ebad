// The one normalization every detector sees: digits and separators in whatever form a keyboard or an input
// method produced them become their ASCII twins, so two detectors never disagree about what a digit or a space
// is ("４８２９１３", "٤٨٢٩١٣" and "482913" are the same code; a no-break space separates like a space).
//
// Every replacement is one UTF-16 unit for one UTF-16 unit, so offsets found in the normalized text are valid
// in the original text unchanged: findings are always reported against what the customer typed.
//
// Folded (a single code unit each):
//   - full-width forms U+FF01–FF5E (０-９, Ａ-Ｚ, ：, ＠ …) → ASCII U+0021–007E;
//   - decimal digits of other scripts: Arabic-Indic U+0660–0669, Eastern Arabic-Indic U+06F0–06F9,
//     Devanagari U+0966–096F, Bengali U+09E6–09EF, Thai U+0E50–0E59, Myanmar U+1040–1049 → 0-9
//     (the Unicode "Nd" digits people actually type in chat);
//   - spaces: U+3000 ideographic space (Japanese phrases are separated by it), U+00A0, U+2000–200A, U+202F,
//     U+205F → " ";
//   - dashes and minus signs U+2010–2015, U+2212, U+FE58, U+FE63 → "-".
// Line breaks, letters with accents and everything else are left alone (word lists handle accents themselves).

/** Ranges of characters that normalizeText changes; a text with none of them is returned as is. */
const NEEDS = /[\uff01-\uff5e\u3000\u00a0\u2000-\u200a\u202f\u205f\u2010-\u2015\u2212\ufe58\ufe63\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\u0e50-\u0e59\u1040-\u1049]/;

const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50, 0x1040];

/** The ASCII code a character normalizes to, or the character's own code when it is left alone. */
function normalizedCode(c: number): number {
  if (c < 0xa0) return c;
  if (c >= 0xff01) return c <= 0xff5e ? c - 0xfee0 : c;
  if (c > 0x3000) return c === 0xfe58 || c === 0xfe63 ? 45 : c; // Han, kana, Hangul… fall through here fast
  if (c === 0x3000) return 32;
  if (c >= 0x2000) {
    if (c <= 0x200a || c === 0x202f || c === 0x205f) return 32;
    return (c >= 0x2010 && c <= 0x2015) || c === 0x2212 ? 45 : c;
  }
  if (c === 0xa0) return 32;
  for (const zero of DIGIT_ZEROS) if (c >= zero && c <= zero + 9) return 48 + c - zero;
  return c;
}

/** normalizedCode of every UTF-16 code unit, as a table (128 KiB): the hot loops read it instead. */
export const NORMALIZED = new Uint16Array(0x10000);
for (let c = 0; c < 0x10000; c++) NORMALIZED[c] = normalizedCode(c);

/**
 * The text every detector reads: same length, same offsets, digits and separators in ASCII (see the header).
 * Linear in the text; returns the input itself when nothing needs changing (the common case). `known`: the
 * caller already knows something does (prescan told it), so the text is not tested again.
 */
export function normalizeText(text: string, known = false): string {
  if (!known && !NEEDS.test(text)) return text;
  // Unchanged stretches are copied as slices and joined once: a Chinese message is mostly Han characters with a
  // few full-width commas.
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const n = NORMALIZED[c]!;
    if (n === c) continue;
    if (i > from) parts.push(text.slice(from, i));
    parts.push(String.fromCharCode(n));
    from = i + 1;
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join('');
}

// Invisible characters (Unicode format characters, Cf, and the rest of the default-ignorable set: zero-width
// space/joiners U+200B–200D, word joiner U+2060, BOM U+FEFF, soft hyphen U+00AD, bidi marks, variation
// selectors, tags …) render as nothing, so "aban\u200bdon" reads as "abandon" to a person and must to every
// detector too. They are taken out before detection (the only step that changes length); the offsets of what
// is found are then mapped back, so a finding covers the invisible characters inside it.
const IGNORABLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const IGNORABLES = /[\p{Cf}\p{Default_Ignorable_Code_Point}]+/gu;

/** Text without invisible characters, and where each of its UTF-16 positions came from in the original. */
export interface VisibleText {
  text: string;
  /** origin[i]: the original offset of `text[i]`; origin[text.length] = original length. Null: unchanged. */
  origin: Int32Array | null;
}

/** Removes invisible characters (see above). Linear; returns the input itself when it has none. */
export function visibleText(text: string): VisibleText {
  if (!IGNORABLE.test(text)) return { text, origin: null };
  const parts: string[] = [];
  const origin = new Int32Array(text.length + 1);
  let kept = 0;
  let from = 0;
  const copy = (to: number) => {
    for (let i = from; i < to; i++) origin[kept++] = i;
    parts.push(text.slice(from, to));
  };
  for (const m of text.matchAll(IGNORABLES)) {
    copy(m.index);
    from = m.index + m[0].length;
  }
  copy(text.length);
  origin[kept] = text.length;
  return { text: parts.join(''), origin: origin.subarray(0, kept + 1) };
}

/**
 * A span [start, end) of visibleText(...).text as a span of the original text: from its first visible
 * character to just after its last one, so the invisible characters between them are inside it.
 */
export function originalSpan(visible: VisibleText, start: number, end: number): { start: number; end: number } {
  const o = visible.origin;
  if (!o) return { start, end };
  return { start: o[start]!, end: end > start ? o[end - 1]! + 1 : o[start]! };
}

// Cyrillic and Greek letters that look like Latin ones ("lеgal" with a Cyrillic е), folded to Latin only inside
// words that mix them with Latin letters: a Russian or Greek word stays as it is. One unit for one unit.
const HOMOGLYPHS: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O',
  Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S', α: 'a', ο: 'o', ν: 'v', ι: 'i', κ: 'k', ρ: 'p',
  τ: 't', υ: 'u', χ: 'x', Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O',
  Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};
const MIXED = /[A-Za-z][\u0370-\u03ff\u0400-\u052f]|[\u0370-\u03ff\u0400-\u052f][A-Za-z]/;
const MIXED_WORD = /[A-Za-z\u0370-\u03ff\u0400-\u052f]+/g;
const LOOKALIKE = /[\u0370-\u03ff\u0400-\u052f]/g;

/** `text` with look-alike Cyrillic/Greek letters made Latin in words mixing the scripts; same length. */
export function foldHomoglyphs(text: string): string {
  if (!MIXED.test(text)) return text;
  return text.replace(MIXED_WORD, (word) => {
    if (!/[A-Za-z]/.test(word)) return word;
    const folded = word.replace(LOOKALIKE, (c) => HOMOGLYPHS[c] ?? c);
    return /[\u0370-\u03ff\u0400-\u052f]/.test(folded) ? word : folded; // only wholly foldable words
  });
}
