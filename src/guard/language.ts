// Which language to warn a customer in: Chinese (simplified) or English, the two the templates are written in.
// A Han character carries about as much as an English word, so the comparison is Han characters against Latin
// words. When the text says little either way (numbers, emoji, a pasted address, a mix), the platform's
// language hint (Telegram language_code such as "zh-hans") decides.

export type Language = 'zh' | 'en';

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]{2,}/g;

const fromHint = (hint: string | undefined): Language | null => {
  if (!hint) return null;
  return /^zh(?:[-_]|$)/i.test(hint.trim()) ? 'zh' : 'en';
};

export function detectLanguage(text: string, hint?: string): Language {
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
