import { createHash, createHmac } from 'node:crypto';
import { entropyToMnemonic, validateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as chinese } from '@scure/bip39/wordlists/simplified-chinese.js';
import { describe, expect, it } from 'vitest';
import { electrumSeed, formatChinese, formatEnglish, misspell, mnemonicWords, moneroSeed, notAPhrase, phraseIn, Rng } from '../corpus/values.ts';
import { detect } from '../index.ts';
import { detectSeedPhrases, sha256FirstByte } from './seed-phrase.ts';
import { values } from './testing.ts';

const r = new Rng(42);
const en = (n = 12) => mnemonicWords(r, n, 'en');
const zh = (n = 12) => mnemonicWords(r, n, 'zh');
const seeds = (text: string) => values(detectSeedPhrases, text);

/** A misspelling that is in no list: a letter doubled at the end ("snake" → "snakee"). */
const typo = (word: string): string => `${word}${word.at(-1)}x`;

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

  // Found by a newcomer: damaged words at either edge of a framed phrase left it in clear, and "my seed phrase is"
  // was read as "my seed" plus two phrase words ("phrase is"), so the mask missed the phrase's tail.
  it.each([
    ['the first two', (w: string[]) => [typo(w[0]!), typo(w[1]!), ...w.slice(2)]],
    ['the last two', (w: string[]) => [...w.slice(0, 10), typo(w[10]!), typo(w[11]!)]],
    ['the first and the last', (w: string[]) => [typo(w[0]!), ...w.slice(1, 11), typo(w[11]!)]],
    ['the last three', (w: string[]) => [...w.slice(0, 9), ...w.slice(9).map(typo)]],
  ])('takes a framed phrase whose %s words are misspelt', (_, damage) => {
    const rd = new Rng(7); // its own numbers: the other tests' phrases stay as they were
    for (const frame of ['my seed phrase is', 'recovery phrase:', 'the seed phrase is', 'seed words =']) {
      for (let i = 0; i < 5; i++) {
        const phrase = damage(mnemonicWords(rd, 12, 'en')).join(' ');
        expect(seeds(`${frame} ${phrase}`), frame).toEqual([phrase]);
        // "please" and "help" are list words too: with no checksum to say where it ends, the mask may take them.
        const [found, ...more] = seeds(`${frame} ${phrase} please help`);
        expect(more, frame).toEqual([]);
        expect([phrase, `${phrase} please`, `${phrase} please help`], frame).toContain(found);
      }
    }
  });

  it('takes a framed phrase with misspelt words inside and at its end', () => {
    const words = mnemonicWords(new Rng(8), 12, 'en');
    const phrase = [words[0], typo(words[1]!), ...words.slice(2, 10), typo(words[10]!), typo(words[11]!)].join(' ');
    expect(seeds(`my seed phrase is ${phrase}`)).toEqual([phrase]);
  });

  it('does not grow a short run after a keyword into the sentence around it', () => {
    for (const text of [
      'my seed phrase is lost, i wrote it down but the paper got wet and now i cannot read the words at all',
      'my seed phrase is safe, i only want to know why my balance shows zero after the latest app update',
      `recovery phrase: ${mnemonicWords(new Rng(9), 12, 'en').slice(0, 7).join(' ')} and then I forgot the rest, sorry`,
    ]) {
      expect(seeds(text), text).toEqual([]);
    }
  });

  // Found by a newcomer: emoji between the words hid a phrase, even after "my seed phrase:".
  it('reads emoji between words as separators', () => {
    const words = mnemonicWords(new Rng(10), 12, 'en');
    for (const phrase of [words.join(' 🔑 '), words.join('🔑'), words.join(' 🙏🙏 ')]) {
      expect(seeds(`my seed phrase: ${phrase}`)).toEqual([phrase]);
      expect(seeds(phrase)).toEqual([phrase]); // a valid checksum needs no framing
    }
    expect(seeds('thanks 👍 everything works now 👍 when will you list the new token? 👍 the app is great 🎉')).toEqual([]);
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

  it('agrees with @scure/bip39 (and Electrum) on the checksum of unframed 12-word runs', () => {
    for (let i = 0; i < 300; i++) {
      const words = Array.from({ length: 12 }, () => r.pick(english));
      const electrum = ['01', '100', '101', '102'].some((p) => createHmac('sha512', 'Seed version').update(words.join(' ')).digest('hex').startsWith(p));
      const valid = validateMnemonic(words.join(' '), english) || electrum;
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

  it('masks the whole phrase, repeated words and all, when a list word follows it', () => {
    // The test vector repeats three words; with "help" after it, the window one word to the right also has a
    // valid checksum, and taking that one left "legal" in clear.
    const phrase = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
    for (const text of [`my seed phrase: ${phrase} help`, `${phrase} help`, `seed phrase ${phrase} help me`]) expect(seeds(text)).toEqual([phrase]);
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

  // Agents and customers list the names of secrets all the time; the label characters are rare, so the frequency
  // test alone took these sentences for random phrases (and the guard then refused the agent's reply).
  it.each([
    '我们绝不会向您索要助记词、私钥、密码或验证码',
    '请不要把助记词、私钥、密码或验证码告诉任何人',
    '为了您的资金安全，请勿在群聊中发送助记词、私钥、密码、验证码等敏感信息',
    '温馨提示：平台工作人员永远不会询问您的助记词、私钥或支付密码',
    '请注意：官方人员不会以任何理由向您索取助记词、私钥、支付密码、短信验证码或谷歌验证码',
    '您的身份证号、银行卡号、手机验证码请勿在公开群组发送',
    '我們絕不會向您索取助記詞、私鑰、密碼或驗證碼',
    '請不要把助記詞、私鑰、密碼或驗證碼告訴任何人',
    '為了您的資金安全，請勿在群組中傳送助記詞、私鑰、密碼、驗證碼等敏感資訊',
    '您的身分證字號、銀行卡號、手機驗證碼請勿在公開群組傳送',
  ])('does not take security advice that lists secrets for a phrase: %s', (text) => {
    expect(seeds(text)).toEqual([]);
  });

  it('still finds a phrase next to the names of secrets, spaced or not', () => {
    // Its own generator, so the phrases drawn by the tests below stay the same.
    const own = new Rng(9);
    const dense = mnemonicWords(own, 12, 'zh').join('');
    expect(seeds(`我的助记词${dense}，私钥和密码都没有给过别人`)).toEqual([dense]);
    const spaced = mnemonicWords(own, 24, 'zh').join(' ');
    expect(seeds(`请帮我看看助记词、私钥是不是对的：助记词 ${spaced} 密码我没发`)).toEqual([spaced]);
    const hant = phraseIn(own, 'zh-Hant', 12, true).join('');
    expect(seeds(`請幫我看看，我的助記詞是${hant}，私鑰和密碼都沒有外洩`)).toEqual([hant]);
  });

  it('masks a whole dense Traditional phrase, also one with several frequent characters', () => {
    // Valid 24- and 12-word Traditional phrases that once came out cut short: the first has five top-100
    // characters (等 地 能 五 方), the second has traditional-only characters a simplified reading took for typos.
    const frequent = '輔等跳地容晶國爹能伸潑碳五館區區興方腰境零浮覆底';
    expect(seeds(`請幫我看看，我的助記詞是${frequent}，私鑰和密碼都沒有外洩`)).toEqual([frequent]);
    const own = '業酯刊布涉鬼晚化批瘋甚但';
    expect(seeds(`我的助記詞是${own}，幫我看看`)).toEqual([own]);
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

  it('hashes one block as node:crypto does (the BIP39 checksum)', () => {
    const rh = new Rng(3); // its own numbers: the other tests' phrases stay as they were
    for (let length = 0; length <= 55; length++) {
      for (let i = 0; i < 20; i++) {
        const data = rh.bytes(length);
        expect(sha256FirstByte(data, length)).toBe(createHash('sha256').update(data).digest()[0]);
      }
    }
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


describe('seed phrases in every BIP39 list (issue 9)', () => {
  it('finds the issue example in Spanish, with its accents', () => {
    const phrase = 'boca nuera masa blanco piedra lienzo átomo domingo receta horno combate código';
    expect(seeds(`mi frase de recuperación: ${phrase}`)).toEqual([phrase]);
    // The same phrase typed without accents, and in decomposed form.
    const plain = phrase.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    expect(seeds(`mi frase de recuperacion: ${plain}`)).toEqual([plain]);
    expect(seeds(phrase.normalize('NFKD'))).toEqual([phrase.normalize('NFKD')]);
  });

  it.each(['es', 'fr', 'it', 'pt', 'cs', 'zh-Hant', 'ja', 'ko'] as const)('finds unframed valid %s phrases of every length', (lang) => {
    for (const n of [12, 15, 18, 21, 24]) {
      const phrase = phraseIn(r, lang, n).join(lang === 'ja' ? '\u3000' : ' ');
      expect(seeds(`${phrase}\n`)).toEqual([phrase]);
    }
  });

  it.each(['es', 'fr', 'pt', 'cs'] as const)('reads %s phrases typed without accents or in capitals', (lang) => {
    const phrase = phraseIn(r, lang, 12, false).join(' ');
    expect(seeds(phrase)).toEqual([phrase]);
    expect(seeds(phrase.toUpperCase())).toEqual([phrase.toUpperCase()]);
  });

  it('reads Japanese with the ideographic space or plain spaces, and Traditional Chinese written densely', () => {
    const ja = phraseIn(r, 'ja');
    expect(seeds(`リカバリーフレーズ：${ja.join('\u3000')}`)).toEqual([ja.join('\u3000')]);
    expect(seeds(`シードフレーズは ${ja.join(' ')} です`)).toEqual([ja.join(' ')]);
    const hant = phraseIn(r, 'zh-Hant').join('');
    expect(seeds(`我的助記詞是${hant}，幫我看看`)).toEqual([hant]);
  });

  it('does not take word lists that are not phrases, nor prose, in any language', () => {
    for (const lang of ['en', 'es', 'fr', 'it', 'pt', 'cs', 'zh-Hant', 'ja', 'ko'] as const) {
      for (let i = 0; i < 20; i++) expect(seeds(notAPhrase(r, lang, lang === 'en' ? 12 : 14).join(lang === 'ja' ? '\u3000' : ' '))).toEqual([]);
    }
    for (const text of [
      'Perdí mi frase semilla, ¿hay alguna forma de recuperar el saldo de mi billetera?',
      "J'ai perdu ma phrase secrète, est-ce que le support peut m'aider à récupérer le compte ?",
      'リカバリーフレーズをなくしてしまいました。ウォレットを復元する方法はありますか？',
      '복구 문구를 잃어버렸는데 지갑을 다시 찾을 수 있는 방법이 있나요?',
      '請問助記詞可以存在雲端嗎？還是寫在紙上比較安全',
    ]) {
      expect(seeds(text)).toEqual([]);
    }
  });
});

describe('Electrum and Monero seeds', () => {
  it('finds an Electrum seed by its version prefix (Electrum test vector), not a BIP39 one', () => {
    const electrum = 'wild father tree among universe such mobile favorite target dynamic credit identify';
    expect(validateMnemonic(electrum, english)).toBe(false);
    expect(seeds(electrum)).toEqual([electrum]);
    for (let i = 0; i < 10; i++) {
      const seed = electrumSeed(r).join(' ');
      expect(seeds(`restored ${seed} in electrum`)).toEqual([seed]);
    }
  });

  it('finds a Monero 25-word seed by its checksum word (monero-project test seed), and not a wrong one', () => {
    const seed = 'velvet lymph giddy number token physics poetry unquoted nibs useful sabotage limits benches lifestyle eden nitrogen anvil fewest avoid batch vials washing fences goat unquoted';
    expect(seeds(seed)).toEqual([seed]);
    const words = seed.split(' ');
    words[24] = 'velvet';
    expect(seeds(words.join(' '))).toEqual([]);
    for (let i = 0; i < 10; i++) {
      const generated = moneroSeed(r).join(' ');
      expect(seeds(generated)).toEqual([generated]);
    }
  });
});

describe('damaged and decorated phrases', () => {
  it('takes the issue example: a framed phrase with two misspelt words', () => {
    const phrase = 'planet throw demise spelle gaze forget radar long soox either ancient current';
    expect(seeds(`please help, my seed is ${phrase}`)).toEqual([phrase]);
  });

  it('takes two or three damaged words (also side by side) when framed, not four, not unframed', () => {
    const words = en();
    const damaged = [...words];
    damaged[3] = misspell(r, words[3]!);
    damaged[4] = misspell(r, words[4]!);
    damaged[8] = misspell(r, words[8]!);
    expect(seeds(`recovery phrase: ${damaged.join(', ')}`)).toEqual([damaged.join(', ')]);
    const four = [...damaged];
    four[10] = misspell(r, words[10]!);
    expect(seeds(`recovery phrase: ${four.join(', ')}`)).toEqual([]);
    expect(seeds(`look: ${damaged.join(' ')}`)).toEqual([]);
  });

  it('reads words cut to their unique 4-letter prefix', () => {
    const words = en();
    const stamped = words.map((w) => w.slice(0, 4)).join(' ');
    expect(seeds(`my seed words stamped on steel: ${stamped}`)).toEqual([stamped]);
  });

  it('reads a phrase quoted in Markdown, one word a line (the issue example shape)', () => {
    const words = en();
    const text = `my recovery phrase:\n${words.map((w) => `> ${w}`).join('\n')}`;
    expect(seeds(text)).toEqual([words.map((w) => `> ${w}`).join('\n').slice(2)]);
  });

  it.each([
    ['bullets', (w: string) => `- ${w}`],
    ['stars', (w: string) => `* ${w}`],
    ['dots', (w: string) => `• ${w}`],
    ['(1)', (w: string, i: number) => `(${i + 1}) ${w}`],
    ['#1', (w: string, i: number) => `#${i + 1} ${w}`],
    ['01.', (w: string, i: number) => `${String(i + 1).padStart(2, '0')}. ${w}`],
    ['1-', (w: string, i: number) => `${i + 1}- ${w}`],
    ['circled', (w: string, i: number) => `${String.fromCharCode(0x2460 + i)} ${w}`],
    ['keycaps', (w: string, i: number) => `${i + 1}\ufe0f\u20e3 ${w}`],
  ])('reads a list in the %s style, even with a bad word in the middle', (_, style) => {
    const words = invalidPhrase();
    const lines = words.map((w, i) => style(w, i));
    const head = lines[0]!.slice(0, lines[0]!.length - words[0]!.length);
    expect(seeds(lines.join('\n'))).toEqual([lines.join('\n').slice(head.length)]);
    const damaged = [...words];
    damaged[6] = 'xqzzy';
    const damagedLines = damaged.map((w, i) => style(w, i));
    expect(seeds(damagedLines.join('\n'))).toEqual([damagedLines.join('\n').slice(head.length)]);
  });

  it('reads code fences and Discord spoilers', () => {
    const phrase = invalidPhrase().join(' ');
    expect(seeds(`seed phrase\n\`\`\`\n${phrase}\n\`\`\``)).toEqual([phrase]);
    expect(seeds(`my seed ||${phrase}||`)).toEqual([phrase]);
  });
});

describe('a numbered list with an unreadable word', () => {
  it('masks the rest of the list when one entry is only punctuation', () => {
    const words = invalidPhrase();
    const lines = words.map((w, i) => `${i + 1}. ${i === 5 ? '???' : w}`);
    expect(seeds(lines.join('\n'))).toEqual([lines.join('\n').slice(3)]);
  });
});

describe('Chinese prose skipped early', () => {
  it('still finds a spaced phrase inside a run that ends in prose, and a dense random one after prose', () => {
    const phrase = zh().join(' ');
    expect(seeds(`${phrase}你好吗`)).toEqual([phrase]);
    const dense = zh(12).join('');
    expect(seeds(`鑫${dense}`).length + seeds(`${dense}`).length).toBeGreaterThanOrEqual(1);
  });
});

describe('phrases with part labels between or before their words', () => {
  const r = new Rng(9); // its own draws: the tests above keep theirs
  // 块 勇 … 息: twelve words of the simplified-Chinese list with a valid checksum.
  const words = '块 勇 稍 按 宝 弄 认 宁 讨 课 袋 息'.split(' ');
  const first = words.slice(0, 6).join(' ');
  const second = words.slice(6).join(' ');
  const spans = (text: string) => detect(text).map((f) => [f.type, text.slice(f.start, f.end)]);

  it('reads the words on both sides of a Chinese part label as one phrase, the mask covering every word', () => {
    expect(validateMnemonic(words.join(' '), chinese)).toBe(true);
    expect(spans(`助记词第一部分：${first} 第二部分：${second}`)).toEqual([['seed_phrase', `${first} 第二部分：${second}`]]);
    expect(spans(`助记词前半部分 ${words.join(' ')}`)).toEqual([['seed_phrase', words.join(' ')]]);
    expect(spans(`助记词前半部分 ${first} 后半部分 ${second}`)).toEqual([['seed_phrase', `${first} 后半部分 ${second}`]]);
    expect(spans(`助记词前六个：${first}，后六个：${second}`)).toEqual([['seed_phrase', `${first}，后六个：${second}`]]);
    expect(spans(`助记词第1-6个 ${first} 第7-12个 ${second}`)).toEqual([['seed_phrase', `${first} 第7-12个 ${second}`]]);
    const dense = (w: string[]) => w.join('');
    expect(spans(`我的助记词第一部分是${dense(words.slice(0, 6))}，第二部分是${dense(words.slice(6))}`)).toEqual([
      ['seed_phrase', `${dense(words.slice(0, 6))}，第二部分是${dense(words.slice(6))}`],
    ]);
  });

  it.each([
    ['en', 'seed phrase part 1: {a} part 2: {b}', ' part 2: '],
    ['en', 'seed phrase first half: {a} second half: {b}', ' second half: '],
    ['es', 'frase semilla primera parte: {a} segunda parte: {b}', ' segunda parte: '],
    ['es', 'frase semilla parte 1: {a} parte 2: {b}', ' parte 2: '],
    ['fr', 'phrase de récupération première partie : {a} deuxième partie : {b}', ' deuxième partie : '],
    ['fr', 'phrase de récupération partie 1 : {a} partie 2 : {b}', ' partie 2 : '],
    ['it', 'frase di recupero prima parte: {a} seconda parte: {b}', ' seconda parte: '],
  ] as const)('reads a %s phrase around its part labels: %s', (lang, template, between) => {
    const w = phraseIn(r, lang, 12);
    const [a, b] = [w.slice(0, 6).join(' '), w.slice(6).join(' ')];
    expect(spans(template.replace('{a}', a).replace('{b}', b))).toEqual([['seed_phrase', `${a}${between}${b}`]]);
  });

  it.each([
    ['list characters between part labels, unframed', `第一部分：${notAPhrase(r, 'zh-Hans', 6).join(' ')} 第二部分：${notAPhrase(r, 'zh-Hans', 6).join(' ')}`],
    ['prose with part labels', '教程第一部分已经看完了，第二部分讲的是怎么备份，前六个步骤都做了，后半部分还是导入不了钱包'],
    ['months', '前六个月的收益是多少？后半年还能质押吗'],
    ['English list words between part labels, unframed', `part 1: ${notAPhrase(r, 'en', 6).join(' ')} part 2: ${notAPhrase(r, 'en', 6).join(' ')}`],
    ['English prose', 'the first half of the year my wallet was fine, the second half it kept crashing'],
    ['French prose', 'la première partie du tutoriel marche, la deuxième partie non'],
  ])('leaves alone: %s', (_, text) => {
    expect(spans(text)).toEqual([]);
  });
});

describe('repeated words', () => {
  const spans = (text: string) => detect(text).map((f) => [f.type, text.slice(f.start, f.end)]);

  it('takes the repeated-word phrases whose checksum is valid (the BIP39 test vector, the Hardhat default)', () => {
    const vector = `${'abandon '.repeat(11)}about`;
    const hardhat = `${'test '.repeat(11)}junk`;
    expect(validateMnemonic(vector, english) && validateMnemonic(hardhat, english)).toBe(true);
    expect(spans(vector)).toEqual([['seed_phrase', vector]]);
    expect(spans(`${hardhat} is in my config`)).toEqual([['seed_phrase', hardhat]]);
  });

  it.each([
    ['"hello world" × 12', 'hello world '.repeat(12)],
    ['"hello world" × 8', 'hello world '.repeat(8)],
    ['test × 11 + a word off the list', `${'test '.repeat(11)}junkk`],
    ['a word repeated, comma-separated', 'hello, '.repeat(15)],
    ['a numbered list of one word', Array.from({ length: 12 }, (_, i) => `${i + 1}. hello`).join('\n')],
    ['numbered, two words, one damaged', Array.from({ length: 12 }, (_, i) => `${i + 1}. ${i === 5 ? 'tesst' : i % 2 ? 'test' : 'word'}`).join('\n')],
  ])('leaves alone unframed repeated words that fail the checksum: %s', (_, text) => {
    expect(validateMnemonic(text.replace(/\d+\.|,/g, ' ').trim().split(/\s+/).join(' '), english)).toBe(false);
    expect(spans(text)).toEqual([]);
  });

  it('takes them after other list words or before a signature when a comma or a line break sets them apart', () => {
    const vector = `${'abandon '.repeat(11)}about`;
    const hardhat = `${'test '.repeat(11)}junk`;
    expect(spans(`Hello team, ${hardhat} 🙏`)).toEqual([['seed_phrase', hardhat]]);
    expect(spans(`${vector}\n\nsent from my iPhone`)).toEqual([['seed_phrase', vector]]);
    expect(spans(`${hardhat} sent`)).toEqual([]); // nothing sets the window apart from "sent"
    expect(spans(`${'abandon, '.repeat(11)}about, sent`)).toEqual([]); // the same comma inside and at the edge
  });

  it('still takes repeated words a keyword presents as a phrase', () => {
    const words = 'hello world '.repeat(6).trim();
    expect(spans(`my seed phrase is ${words}`)).toEqual([['seed_phrase', words]]);
  });
});
