// Which language to warn a customer in: Chinese (simplified) or English, the two the templates are written in.
// A Han character carries about as much as an English word, so the comparison is Han characters against Latin
// words. When the text says little either way (numbers, emoji, a pasted address, a mix), the platform's
// language hint (Telegram language_code such as "zh-hans") decides.

import type { Finding } from '../domain/types.ts';

export type Language = 'zh' | 'en';

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]{2,}/g;

const fromHint = (hint: string | undefined): Language | null => {
  if (!hint) return null;
  return /^zh(?:[-_]|$)/i.test(hint.trim()) ? 'zh' : 'en';
};

/**
 * The language of `text` ('zh' or 'en'), from its Han characters against its Latin words, the platform's
 * `hint` (e.g. "zh-hans", "en-US") deciding when the text does not. `secrets`: spans of `text` (detect()'s
 * findings) left out of the count, since a pasted English recovery phrase says nothing about the language
 * its owner writes in ("我的助记词是 legal winner … 帮帮我" is Chinese).
 */
export function detectLanguage(text: string, hint?: string, secrets: readonly Finding[] = []): Language {
  if (secrets.length > 0) {
    let outside = '';
    let from = 0;
    for (const f of [...secrets].sort((a, b) => a.start - b.start)) {
      if (f.start > from) outside += text.slice(from, f.start);
      outside += ' ';
      from = Math.max(from, f.end);
    }
    text = outside + text.slice(from);
  }
  const han = text.match(HAN)?.length ?? 0;
  const words = text.match(LATIN_WORD)?.length ?? 0;
  const hinted = fromHint(hint);
  if (han + words === 0) return hinted ?? 'en';
  const share = han / (han + words);
  if (share >= 0.6) return 'zh';
  if (share <= 0.15) return 'en';
  // Mixed text: the hint if there is one; otherwise Chinese, since Chinese speakers routinely mix in English
  // terms (wallet names, "USDT", a pasted phrase) while English speakers rarely write Han characters.
  return hinted ?? (han >= 2 ? 'zh' : 'en');
}
