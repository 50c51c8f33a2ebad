import { describe, expect, it } from 'vitest';
import { BIP39_LISTS, formatChinese, formatEnglish, phraseIn, Rng } from './corpus/values.ts';
import { SPACED_HEX_HINT, WRAPPED_HEX_HINT } from './detectors/private-key.ts';
import { breaksPhrase, FRAMING, GAP_CHARACTER } from './detectors/seed-phrase.ts';
import { normalizeText } from './normalize.ts';
import { DEFAULT_CORPUS, loadCorpus } from './evaluate.ts';
import { prescan } from './prescan.ts';
import { SIMPLIFIED_INDEX } from './wordlists/index.ts';

const r = new Rng(17);

describe('prescan', () => {
  it('flags every invisible character, in the BMP and beyond', () => {
    const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
    let checked = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (!invisible.test(ch)) continue;
      checked++;
      expect(prescan(`a${ch}b`).invisible, `U+${cp.toString(16)}`).toBe(true);
    }
    expect(checked).toBeGreaterThan(4000);
    expect(prescan('plain text, 中文，emoji 👍').invisible).toBe(false);
  });

  it('keeps a Han stretch across every character a phrase gap may hold, and only those', () => {
    // Eleven list characters with one given character between each two: one stretch exactly when the seed detector
    // reads them as one segment.
    const chars = BIP39_LISTS['zh-Hans'].slice(1000, 1011);
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      if (SIMPLIFIED_INDEX[c]! >= 0 || /[\p{L}\p{M}]/u.test(ch) || (c >= 0xd800 && c <= 0xdfff)) continue;
      const stats = prescan(chars.join(ch));
      const gap = normalizeText(ch); // the detector reads normalized text
      const oneSegment = GAP_CHARACTER.test(gap) && !breaksPhrase(gap);
      expect(stats.hanSegment, `U+${c.toString(16)}`).toBe(oneSegment ? 11 : 1);
    }
    expect(prescan(chars.join('。')).hanSegment).toBe(1);
    expect(prescan(chars.join(' 👍 ')).hanSegment).toBe(11); // emoji separate words ("w1 🔑 w2 🔑 …")
    expect(prescan(chars.join('\u{20000}')).hanSegment).toBe(1); // another astral character does not
    expect(prescan(chars.join(' '.repeat(17))).hanSegment).toBe(1);
  });

  it('counts Latin list words, and lets at most two other words in a row sit between them', () => {
    const phrase = phraseIn(r, 'en');
    expect(prescan(phrase.join(' ')).latinRun).toBe(12);
    expect(prescan(phraseIn(r, 'es').join(' ')).latinRun).toBe(12);
    expect(prescan(phraseIn(r, 'fr', 12, false).join(' ')).latinRun).toBe(12); // accents left out
    expect(prescan('ａｂａｎｄｏｎ ａｂｉｌｉｔｙ').latinRun).toBe(2); // full-width: read as it normalizes
    expect(prescan('aban abil able abou').latinRun).toBe(4); // 4-letter prefixes of metal backups
    const damaged = [...phrase.slice(0, 4), 'xqzv', 'wqpt', ...phrase.slice(4)].join(' ');
    expect(prescan(damaged)).toMatchObject({ latinRun: 8, latinListRun: 12 });
    const broken = [...phrase.slice(0, 4), 'xqzv', 'wqpt', 'zzqk', ...phrase.slice(4)].join(' ');
    expect(prescan(broken).latinListRun).toBe(8);
    expect(prescan('I want to send my whole balance to my mother but the app says it is not allowed now').latinRun).toBeLessThan(8);
  });

  it('counts numbered gaps between Latin words, one gap without a number allowed', () => {
    const phrase = phraseIn(r, 'en');
    expect(prescan(formatEnglish(phrase, 'numbered')).latinNumbered).toBeGreaterThanOrEqual(11);
    expect(prescan(phrase.join('\n- ')).latinNumbered).toBe(11);
    expect(prescan(phrase.join('\n\u3000－ ')).latinNumbered).toBe(11); // read as normalized: "\n - "
    expect(prescan(phrase.join('\n  ＞')).latinNumbered).toBe(11);
    expect(prescan(phrase.join(' ')).latinNumbered).toBe(0);
    expect(prescan('version 3.12.4 of the app and 2 more things').latinNumbered).toBeLessThan(3);
  });

  it('tells dense Chinese phrases from prose as the seed detector does (looksRandom)', () => {
    // Exactly in a stretch certain to be one of the detector's segments: mean rank ≥ 550, at most 2 of 12 frequent.
    let rare = 0;
    for (let i = 0; i < 200; i++) {
      const chars = phraseIn(r, 'zh-Hans');
      if (chars.some((c) => '助记恢种备私密钱十二验动确口身'.includes(c))) continue; // may start a label: bounded only
      const ranks = chars.map((c) => SIMPLIFIED_INDEX[c.charCodeAt(0)]!);
      const looksRandom = ranks.reduce((a, b) => a + b, 0) >= 550 * 12 && ranks.filter((k) => k < 100).length <= 2;
      expect(prescan(`${formatChinese(chars, 'dense')}。谢谢`).hanRare, chars.join('')).toBe(looksRandom);
      if (looksRandom) rare++;
    }
    expect(rare).toBeGreaterThan(50);
    const prose = '你好，提现已经三个小时了还没到账，帮忙看一下。为什么今天手续费这么高？我只想转一点点';
    expect(prescan(prose)).toMatchObject({ hanRare: false, hanSpaced: 2 });
    expect(prescan('锁仓多久？\n昨天的问题已经解决了，谢谢客服').hanRare).toBe(false);
    expect(prescan(formatChinese(phraseIn(r, 'zh-Hans'), 'space')).hanSpaced).toBe(12);
    expect(prescan(formatChinese(phraseIn(r, 'zh-Hans'), 'numbered')).hanNumbered).toBeGreaterThanOrEqual(11);
  });

  it('judges gaps holding more than separators as the seed detector does', () => {
    const chars = BIP39_LISTS['zh-Hans'].slice(1000, 1012);
    expect(prescan(chars.join('1. ')).hanSegment).toBe(12); // numbered: one segment
    expect(prescan(chars.join('１．')).hanSegment).toBe(12); // full-width, as normalized
    expect(prescan(chars.join('12345')).hanSegment).toBe(1); // no list numbering holds five digits
    expect(prescan(chars.join('(1)(2)(3)')).hanSegment).toBe(1); // three numbers in one gap
  });

  it('measures digit groups as written numbers are', () => {
    expect(prescan('code: 4 8 2 9 1 3').digitGroup).toBe(6);
    expect(prescan('验证码是 ４ ８ ２ ９ １ ３').digitGroup).toBe(6);
    expect(prescan('4111-1111-1111-1111').digitGroup).toBe(16);
    expect(prescan('4111.1111.1111.1111').digitGroup).toBe(16); // a card written with dots
    expect(prescan('version 3.12.4, 20 USDT, 14 days')).toMatchObject({ digitGroup: 2, digits: 8 });
    expect(prescan('0.00342 BTC').digitGroup).toBe(5); // a decimal point after one digit does not join
    expect(prescan('call +1 (415) 555-0100').digitCluster).toBe(11);
  });

  it('hints at password labels in both scripts', () => {
    for (const text of ['my pass is x', 'PWD=x', 'pin 1234', '密码：x', '密碼是', '口令', 'ｐａｓｓ']) {
      expect(prescan(text).passwordHint, text).toBe(true);
    }
    for (const text of ['the app page is pending', '密切关注', '入口']) expect(prescan(text).passwordHint, text).toBe(false);
  });

  it('hints at every recovery-phrase keyword, glued or spaced, and not at "the", "my" or "recovered" alone', () => {
    const keywords = [
      'seed phrase', 'seedwords', 'seed: ', 'my seed', 'mnemonic', 'the words', 'thewords', 'THE PHRASE', 'theseed',
      'these words', 'thesewords', 'my phrase', 'mywords', 'recovery phrase', 'recoveryphrase', 'backupwords',
      'secret recovery phrase', 'secretrecoveryphrase', 'secretphrase', 'walletseed', 'restore words', 'securityphrase',
      'importwords', 'srp', 'twelve words', 'twentyfourwords', '12words', 'passphrase', 'electrum seed', 'monero seed',
      'frase de recuperación', 'palabras clave', 'parole segrete', 'mots de passe de récupération', 'semilla',
      'phrase de récupération', 'fráze pro obnovu', 'slova pro obnovu', 'obnovovací fráze', 'seed frase',
    ];
    for (const keyword of keywords) {
      const text = `hi, ${keyword} abandon ability able`;
      FRAMING.lastIndex = 0;
      expect(FRAMING.test(text), text).toBe(true);
      expect(prescan(text).framingHint, text).toBe(true);
    }
    for (const text of ['my balance shows 0 after the update', 'can it be recovered? they said there is a way', 'The app']) {
      expect(prescan(text).framingHint, text).toBe(false);
    }
  });

  it('hints at a PEM block and an IBAN as the normalized text holds them', () => {
    const fullWidth = (t: string) => t.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    for (const text of ['-----BEGIN PRIVATE KEY-----', 'x-BEGIN', fullWidth('-----BEGIN RSA PRIVATE KEY-----')]) {
      expect(prescan(text).pemHint, text).toBe(true);
    }
    for (const text of ['BEGIN', '-----begin', '----- BEGIN', '-BEGI', 'xBEGIN']) expect(prescan(text).pemHint, text).toBe(false);
    for (const text of ['DE89 3704', 'iban: GB29NWBK', fullWidth('DE89'), 'xDE89', 'ÄDE12']) {
      expect(prescan(text).ibanHint, text).toBe(true);
    }
    for (const text of ['De89', 'D89', 'DE8', 'DE 89', 'de89', '89DE', 'DÉ89', 'D1E89']) expect(prescan(text).ibanHint, text).toBe(false);
  });

  it('hints at a PEM block or hex key groups exactly as the normalized text holds them', () => {
    const hint = new RegExp(`-----BEGIN|${WRAPPED_HEX_HINT.source}|${SPACED_HEX_HINT.source}`);
    // Texts of the pieces these patterns are made of, and of what stands close to them (full-width forms normalize).
    const pieces = ['0123abcd', 'EF56789a', 'f', '9', 'g', 'x', ' ', '\t', '\n', '\r', '\r\n', '\u3000', '-', '-----', 'BEGIN', 'ＡＢ', '４', '－', '中', 'é', '\u0301', '.'];
    const rng = new Rng(9);
    for (let t = 0; t < 20000; t++) {
      let text = '';
      for (let p = rng.int(1, 12); p > 0; p--) text += rng.pick(pieces);
      expect(prescan(text).keyHint, JSON.stringify(text)).toBe(hint.test(normalizeText(text)));
    }
    for (const text of ['-----BEGIN OPENSSH PRIVATE KEY-----', '0123abcd\n0123abcd', '0123abcd \t\r\n \t0123abcd', '0123abcd\t0123abcd']) {
      expect(prescan(text).keyHint, text).toBe(true);
    }
    // Each hint is looked for until found, whichever comes first.
    expect(prescan('0123abcd 0123abcd x-BEGIN')).toMatchObject({ keyHint: true, pemHint: true });
    expect(prescan('x-BEGIN 0123abcd\n0123abcd')).toMatchObject({ keyHint: true, pemHint: true });
    for (const text of ['----BEGIN', '0123abcd  0123abcd', '0123abcd\r\r\n0123abcd', '0123abc \n0123abcd', 'key 0123abcd 0123abcg']) {
      expect(prescan(text).keyHint, text).toBe(false);
    }
  });

  it('reads long inputs of one shape in one go, counting what they hold', () => {
    // One pass, no backtracking (the bench measures the time); what each megabyte-ish input holds is counted whole.
    const n = 1 << 19;
    expect(prescan('a'.repeat(n))).toMatchObject({ latinRun: 0, longestRun: n }); // one word, far too long for a list
    expect(prescan('abandon '.repeat(n / 8)).latinRun).toBe(n / 8);
    expect(prescan('的'.repeat(n))).toMatchObject({ hanSegment: n, hanSpaced: 1 });
    expect(prescan('的 '.repeat(n / 2))).toMatchObject({ hanSegment: n / 2, hanSpaced: n / 2 });
    expect(prescan('1 '.repeat(n / 2))).toMatchObject({ digits: n / 2, digitGroup: n / 2 });
    expect(prescan('x\n- '.repeat(n / 4)).latinNumbered).toBe(n / 4 - 1);
    expect(prescan('👍'.repeat(n / 2))).toMatchObject({ latinRun: 0, hanSegment: 0, digits: 0 });
  });
});
