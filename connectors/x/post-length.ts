// How X counts the length of a post (twitter-text 3, the "weighted length" behind the 280 limit): code points in
// the ranges below count 1, every other code point (Chinese, Japanese, Korean, emoji …) counts 2, and each URL
// counts 23 whatever its length. So a post holds 280 Latin characters but only 140 Chinese ones.

/** twitter-text v3 config: ranges of weight 100 (one character); everything else weighs 200 (two). */
const LIGHT_RANGES: Array<[number, number]> = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];
const URL = /https?:\/\/[^\s]+/g;
const URL_WEIGHT = 23;

/** X's limit for one post, in weighted characters. */
export const X_MAX_WEIGHTED_LENGTH = 280;

/** The length X gives `text` when checking it against the 280 limit. */
export function xWeightedLength(text: string): number {
  let length = 0;
  const withoutUrls = text.replace(URL, () => {
    length += URL_WEIGHT;
    return '';
  });
  for (const ch of withoutUrls.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    length += LIGHT_RANGES.some(([from, to]) => cp >= from && cp <= to) ? 1 : 2;
  }
  return length;
}
