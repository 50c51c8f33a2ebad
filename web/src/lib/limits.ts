// How long a reply may be on each platform, and how the platform counts it.
// Telegram: 4,096 characters per message (core.telegram.org/bots/api#sendmessage), counted here in UTF-16 code
// units as the API and the fakes do. Discord: 2,000 characters of content (discord.com/developers/docs/
// resources/message#create-message). X: 280 weighted characters for a post (developer.x.com "Counting
// characters": code points in the Latin ranges weigh 1, CJK and emoji 2, every URL 23) and 10,000 for a DM.
import type { Platform, Visibility } from '../api/types.ts';

export interface Limit {
  max: number;
  /** The length of `text` as the platform counts it. */
  count: (text: string) => number;
}

const utf16 = (text: string) => text.length;

// twitter-text v3 configuration: ranges weighing 100 (one character); everything else weighs 200 (two).
const LIGHT_RANGES: Array<[number, number]> = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];
const URL_RE = /https?:\/\/[^\s]+/g;

/** X's weighted length: URLs count 23, CJK and emoji 2, Latin 1. */
export function weightedXLength(text: string): number {
  let n = 0;
  const withoutUrls = text.replace(URL_RE, () => {
    n += 23;
    return '';
  });
  for (const ch of withoutUrls) {
    const cp = ch.codePointAt(0) ?? 0;
    n += LIGHT_RANGES.some(([a, b]) => cp >= a && cp <= b) ? 1 : 2;
  }
  return n;
}

/** The reply limit of a conversation on `platform` with `visibility`. */
export function replyLimit(platform: Platform, visibility: Visibility): Limit {
  if (platform === 'telegram') return { max: 4096, count: utf16 };
  if (platform === 'discord') return { max: 2000, count: utf16 };
  return visibility === 'public' ? { max: 280, count: weightedXLength } : { max: 10_000, count: utf16 };
}
