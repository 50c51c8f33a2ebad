import { entropyToMnemonic, validateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as chinese } from '@scure/bip39/wordlists/simplified-chinese.js';
import { describe, expect, it } from 'vitest';
import { formatChinese, formatEnglish, misspell, mnemonicWords, Rng } from '../corpus/values.ts';
import { detectSeedPhrases } from './seed-phrase.ts';
import { values } from './testing.ts';

const r = new Rng(42);
const en = (n = 12) => mnemonicWords(r, n, 'en');
const zh = (n = 12) => mnemonicWords(r, n, 'zh');
const seeds = (text: string) => values(detectSeedPhrases, text);

/** Twelve wordlist words whose checksum is wrong (the last word swapped until the phrase is invalid). */
function invalidPhrase(): string[] {
  const words = en();
  for (const w of english) {
    const candidate = [...words.slice(0, 11), w];
    if (!validateMnemonic(candidate.join(' '), english)) return candidate;
  }
  throw new Error('unreachable');
}

describe('seed phrases, English', () => {
  it.each([12, 15, 18, 21, 24])('finds a valid %i-word phrase in a sentence, without framing', (n) => {
    const phrase = en(n).join(' ');
    expect(seeds(`hi, I imported ${phrase} and my balance is empty`)).toEqual([phrase]);
  });

  it.each(['comma', 'newline', 'numbered', 'numbered-paren', 'dash', 'title', 'upper'] as const)('reads the %s format', (format) => {
    const words = en();
    const text = `please check:\n${formatEnglish(words, format)}\nthanks`;
    const [found] = seeds(text);
    expect(found).toBeDefined();
    expect(found?.toLowerCase()).toContain(words[0]);
    expect(found?.toLowerCase()).toContain(words[11]);
  });

  it('takes a framed phrase with one misspelt word', () => {
    const words = en();
    words[5] = misspell(r, words[5] ?? '');
    const phrase = words.join(' ');
    expect(seeds(`my recovery phrase is ${phrase}`)).toEqual([phrase]);
  });

  it('takes a framed phrase that is one word short', () => {
    const phrase = en().slice(0, 11).join(', ');
    expect(seeds(`seed phrase: ${phrase}`)).toEqual([phrase]);
  });

  it('finds the framing after the phrase too', () => {
    const phrase = invalidPhrase().join(' ');
    expect(seeds(`${phrase} <- that is my backup phrase`)).toEqual([phrase]);
  });

  it('does not take twelve wordlist words with a bad checksum and no framing', () => {
    const words = invalidPhrase();
    expect(validateMnemonic(words.join(' '), english)).toBe(false);
    expect(seeds(`look at these: ${words.join(' ')}`)).toEqual([]);
  });

  it('agrees with @scure/bip39 on the checksum of unframed 12-word runs', () => {
    for (let i = 0; i < 300; i++) {
      const words = Array.from({ length: 12 }, () => r.pick(english));
      const valid = validateMnemonic(words.join(' '), english);
      expect(seeds(words.join(' ')).length).toBe(valid ? 1 : 0);
    }
  });

  it('stops at words that are not in the list', () => {
    const phrase = en().join(' ');
    expect(seeds(`my seed phrase is ${phrase} please help me`)).toEqual([phrase]);
  });

  it('ignores prose full of BIP39 words, short word lists and talk about phrases', () => {
    for (const text of [
      'Can you help? I have a problem with my account balance, the swap fee was too high and the bridge transfer is still pending.',
      'What about all the tokens I had? They say you can help, so please check what happened to my coin balance.',
      'they say you can make good time if you use the fast lane, but my deposit is still pending after one day',
      'my first words are abandon, ability, able — do I need all of them?',
      'Is it safe to store my seed phrase in iCloud? I wrote the 12 words on paper too.',
      'Never share your recovery phrase. Someone asked me for my seed phrase in the group, is that a scam?',
    ]) {
      expect(seeds(text)).toEqual([]);
    }
  });

  it('keeps UTF-16 offsets right after emoji', () => {
    const phrase = en().join(' ');
    const text = `😀🙏 ${phrase} 🙏`;
    const [f] = detectSeedPhrases(text);
    expect(f && text.slice(f.start, f.end)).toBe(phrase);
    expect(f?.start).toBe(5);
  });
});

describe('seed phrases, Chinese', () => {
  it('finds a framed phrase written without separators', () => {
    const phrase = zh().join('');
    expect(seeds(`我的助记词是${phrase}，怎么恢复？`)).toEqual([phrase]);
  });

  it.each(['space', 'groups', 'numbered', 'comma'] as const)('reads the %s format', (format) => {
    const phrase = formatChinese(zh(), format);
    // The span runs from the first word to the last: a leading "1." is not part of it.
    expect(seeds(`助记词：${phrase}`)).toEqual([phrase.replace(/^1\./, '')]);
  });

  it('finds an unframed dense phrase that stands on its own', () => {
    // Unframed dense phrases must look random (see seed-phrase.ts); a few valid ones do not, so count.
    let hits = 0;
    for (let i = 0; i < 50; i++) hits += seeds(`${zh(24).join('')}\n`).length;
    expect(hits).toBeGreaterThanOrEqual(47);
  });

  it('takes a framed phrase with one character not in the list', () => {
    const chars = zh();
    chars[4] = '鑫';
    expect(chinese.includes('鑫')).toBe(false);
    const phrase = chars.join(' ');
    expect(seeds(`助记词 ${phrase}`)).toEqual([phrase]);
  });

  it('does not take Chinese prose, even around the word 助记词', () => {
    for (const text of [
      '我的助记词没有泄露给任何人但是钱包里的币全部被转走了怎么办请帮帮我谢谢你们',
      '导入钱包时提示助记词无效，请问怎么解决',
      '你好我想问一下为什么我的钱包里面的币不见了是不是被盗了',
      '助记词是12个还是24个？客服会不会问我要助记词',
      '春眠不觉晓处处闻啼鸟夜来风雨声花落知多少',
    ]) {
      expect(seeds(text)).toEqual([]);
    }
  });

  it('handles a mix: Chinese framing around an English phrase', () => {
    const phrase = en().join(' ');
    expect(seeds(`助记词：${phrase}，谢谢`)).toEqual([phrase]);
  });
});

describe('seed phrases, adversarial input', () => {
  it('stays linear on long runs of wordlist words and characters', () => {
    const words = Array.from({ length: 100_000 }, () => r.pick(english)).join(' ');
    expect(Array.isArray(detectSeedPhrases(words))).toBe(true);
    const dense = Array.from({ length: 200_000 }, () => r.pick(chinese)).join('');
    expect(Array.isArray(detectSeedPhrases(dense))).toBe(true);
    expect(detectSeedPhrases('助记词'.repeat(100_000)).length).toBeLessThanOrEqual(1);
  });

  it('does not take a window out of one word repeated, but takes the well-known test vector on its own', () => {
    expect(seeds('word '.repeat(50_000))).toEqual([]);
    const vector = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
    expect(seeds(vector)).toEqual([vector]);
    expect(seeds(`my seed phrase: ${vector}`)).toEqual([vector]);
  });

  it('round-trips any valid phrase', () => {
    for (let i = 0; i < 50; i++) {
      const phrase = entropyToMnemonic(r.bytes(16), english);
      expect(seeds(phrase)).toEqual([phrase]);
    }
  });
});

describe('seed phrases inside a framing sentence made of list words', () => {
  it('finds a spaced Chinese phrase with list characters on both sides of it', () => {
    // Every character of 钱包打不开了 / 我的助记词是 / 请帮我看看 is in the Chinese list, so the phrase sits in the
    // middle of one long run of list words (a customer's message, reported from the web app).
    const phrase = '氨 泰 以 敢 繁 陪 丈 呆 穷 滩 袁 山';
    expect(validateMnemonic(phrase.replace(/ /g, ''), chinese) || validateMnemonic(phrase, chinese)).toBe(true);
    expect(seeds(`钱包打不开了，我的助记词是 ${phrase} 请帮我看看`)).toEqual([phrase]);
  });

  it('finds an English phrase between framing words that are list words too', () => {
    const phrase = en().join(' ');
    expect(seeds(`my wallet is gone and my seed phrase is ${phrase} can you help me please`)).toEqual([phrase]);
  });
});

