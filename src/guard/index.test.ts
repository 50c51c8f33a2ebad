import { describe, expect, it } from 'vitest';
import { FINDING_TYPES } from '../domain/types.ts';
import { DETECTORS, detect, resolveOverlaps } from './index.ts';
import { BIP39_LISTS, mnemonicWords, Rng, solanaSignature } from './corpus/values.ts';
import { DEFAULT_CORPUS, loadCorpus } from './evaluate.ts';
import { foldHomoglyphs, normalizeText, originalSpan, visibleText } from './normalize.ts';

const r = new Rng(99);
const typed = (text: string) => detect(text).map((f) => [f.type, text.slice(f.start, f.end)]);

describe('detect', () => {
  it('finds a damaged phrase whose typo is a 2-letter word, even one spelling a connective', () => {
    // The pre-scan once ended the run of possible phrase words at any 2-letter word, so these never reached the
    // phrase detector.
    const ma = 'another noote silly blood surround cart sniff trust need ma board must';
    expect(typed(`please help, my seed is ${ma} asap`)).toEqual([['seed_phrase', ma]]);
    const ne = 'clip, script, ne, next, inchh, afraid, same, sheriff, voice, almost, lkie, true';
    expect(typed(`recovery phrase (I can't read my handwriting): ${ne} 🙏`)).toEqual([['seed_phrase', ne]]);
    // Prose with short words between list words is still no phrase.
    expect(typed('I want to send my whole balance to my mother but the app says it is not allowed now')).toEqual([]);
  });

  it('returns sorted, non-overlapping findings with UTF-16 offsets', () => {
    const phrase = mnemonicWords(r, 12, 'en').join(' ');
    const text = `👋 email a@b.io, 手机 138 1234 5678, seed ${phrase}, 验证码 482913 🙏`;
    const findings = detect(text);
    expect(findings.map((f) => f.type)).toEqual(['email', 'phone', 'seed_phrase', 'otp']);
    for (let i = 1; i < findings.length; i++) expect(findings[i]!.start).toBeGreaterThanOrEqual(findings[i - 1]!.end);
    expect(typed(text)).toEqual([
      ['email', 'a@b.io'],
      ['phone', '138 1234 5678'],
      ['seed_phrase', phrase],
      ['otp', '482913'],
    ]);
  });

  it('prefers the more specific type when spans overlap', () => {
    expect(typed('bot token 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0')).toEqual([
      ['api_token', '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0'],
    ]);
    expect(typed('card: 4111 1111 1111 1111')).toEqual([['payment_card', '4111 1111 1111 1111']]);
    expect(typed('pwd: 13812345678')).toEqual([['password', '13812345678']]);
    expect(typed('银行卡号 6222 0212 3456 7890 128')).toEqual([['bank_account', '6222 0212 3456 7890 128']]);
    expect(typed('身份证 11010519491231002X')).toEqual([['national_id', '11010519491231002X']]);
  });

  it('resolveOverlaps keeps the higher rank, then the longer span', () => {
    expect(
      resolveOverlaps(
        [
          { type: 'phone', start: 0, end: 11 },
          { type: 'payment_card', start: 0, end: 16 },
          { type: 'email', start: 20, end: 30 },
        ],
        40,
      ),
    ).toEqual([
      { type: 'payment_card', start: 0, end: 16 },
      { type: 'email', start: 20, end: 30 },
    ]);
  });

  it('handles full-width Chinese input', () => {
    expect(typed('验证码：４８２９１３，手机：１３８１２３４５６７８')).toEqual([
      ['otp', '４８２９１３'],
      ['phone', '１３８１２３４５６７８'],
    ]);
  });

  it('returns nothing for empty and ordinary text', () => {
    expect(detect('')).toEqual([]);
    expect(detect('hi, my withdrawal has been pending for 3 hours, can you check?')).toEqual([]);
    expect(detect('你好，提现已经三个小时了还没到账，帮忙看一下')).toEqual([]);
  });

  it('only reports known types', () => {
    const text = `pw: abc12345 ${mnemonicWords(r, 24, 'en').join(' ')}`;
    for (const f of detect(text)) expect(FINDING_TYPES).toContain(f.type);
  });
});

// detect() skips the detectors the pre-scan rules out (prescan.ts); that must never change a finding. Compared here
// with every detector run on every text, over the corpus and harder variants of it.
const fullWidthText = (t: string) => t.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('the pre-scan only skips work', () => {
  const everyDetector = (text: string) => {
    if (text === '') return [];
    const visible = visibleText(text);
    visible.text = foldHomoglyphs(visible.text);
    const normalized = normalizeText(visible.text);
    const candidates = DETECTORS.flatMap((d) => d.detect(normalized)).filter((c) => c.end > c.start);
    return resolveOverlaps(candidates, normalized.length).map((f) => ({ ...f, ...originalSpan(visible, f.start, f.end) }));
  };
  const corpus = loadCorpus(DEFAULT_CORPUS).map((m) => m.text);
  const fullWidth = (t: string) => t.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  const sprinkle = (t: string, ch: string) => [...t].map((c, i) => (i % 3 === 1 ? c + ch : c)).join('');
  const variants: [string, (t: string) => string][] = [
    ['as written', (t) => t],
    ['glued to another', (t) => `${t}\n${corpus[(t.length * 7) % corpus.length]}`],
    ['full-width', fullWidth],
    ['with invisible characters', (t) => sprinkle(t, '\u200b')],
    ['behind Chinese prose', (t) => `你好，我的钱包出问题了，请帮忙看一下，谢谢。${t}`],
    ['one entry a line', (t) => t.replace(/ /g, '\n')],
    ['one entry a line, full-width bullets', (t) => t.replace(/ /g, '\n　－ ')],
  ];
  it.each(variants)('corpus texts %s', (_, variant) => {
    for (const text of corpus) {
      const input = variant(text);
      expect(detect(input), input).toEqual(everyDetector(input));
    }
  });

  it('random word-list text in every language and shape', () => {
    const shapes: string[] = [];
    for (const list of Object.values(BIP39_LISTS)) {
      for (const sep of [' ', '', '\n', ', ', '\u3000', ' 1. ', '，']) {
        for (let i = 0; i < 6; i++) shapes.push(Array.from({ length: r.int(8, 30) }, () => r.pick(list)).join(sep));
      }
    }
    shapes.push(`private key ${solanaSignature(r)}`, '的一是在不了有和人这中大为上个国'.repeat(40));
    // The shortest shapes a gate lets through: a 15-character Slack token, a PEM block of short lines.
    shapes.push('slack xoxb-12345abcde ok', 'xoxp-1234567890', '-----BEGIN PRIVATE KEY-----\nMIIBVQ\n-----END PRIVATE KEY-----');
    // Chinese list characters, rare and frequent, with every kind of gap and label between them.
    const zh = BIP39_LISTS['zh-Hans'];
    const gaps = ['', '', '', '，', '1.', '(2)', '12345', '、', '\n- ', '。', ' ', '12个单词', '助记词', '私钥：', '密码', '驗證碼'];
    for (let i = 0; i < 300; i++) {
      const parts: string[] = [];
      for (let k = r.int(10, 40); k > 0; k--) parts.push(r.pick(zh.slice(r.chance(0.3) ? 0 : 600)), r.chance(0.8) ? '' : r.pick(gaps));
      shapes.push(parts.join(''));
    }
    for (const text of shapes) expect(detect(text), text).toEqual(everyDetector(text));
  });

  it('hex keys in groups, spaced by tabs, full-width spaces or invisible characters', () => {
    const k = '4c0883a69102937d6231471b5dbb6204fe512961708279f2f3e2b1c9d8a7e6f5';
    const shapes: string[] = [];
    for (const width of [8, 16, 32]) {
      for (const sep of [' ', '\t', '\u3000', ' \u200b', '  ']) {
        const g = (k.match(new RegExp(`.{${width}}`, 'g')) ?? []).join(sep);
        shapes.push(`私钥 ${g}`, `private key: 0x${g}`, `key ${g.toUpperCase()} thanks`, fullWidthText(`私钥：${g}`));
        // The last group followed by no blank: the pre-scan counts the groups before it only.
        shapes.push(`私钥：${g}，导入失败`, `my key ${g}导入不了`, `key=${g}.`);
      }
    }
    for (const text of shapes) expect(detect(text), text).toEqual(everyDetector(text));
  });
});

// Each of these would make a backtracking regex (or a quadratic scan) take seconds or minutes. The test only
// asserts results; bench/guard.ts reports the time.
describe('adversarial input stays linear', () => {
  const MB = 1 << 20;
  const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length));
  it.each([
    ['digits', fill('1')],
    ['digit groups', fill('1 ')],
    ['card-like groups', fill('4111 ')],
    ['a…a@', 'a'.repeat(MB) + '@'],
    ['a@a@…', fill('a@')],
    ['hex', fill('0123456789abcdef')],
    ['base58', fill('5KLc9xprvYZ123456789ABCDEFGHJKLMNP')],
    ['BIP39 words', fill('abandon ability able about above absent ')],
    ['BIP39 characters', fill('的一是在不了有和人这中大为上个国')],
    ['framing', fill('seed phrase 助记词 ')],
    ['password labels', fill('password: 密码是')],
    ['code labels', fill('验证码 code is 1')],
    ['PEM begins', fill('-----BEGIN PRIVATE KEY-----\n')],
    ['plus signs', fill('+1 ')],
    ['spaces', fill(' ')],
    ['JWT prefixes', fill('eyJ')],
    ['emoji', fill('😀')],
    ['full-width digits', fill('１２３４')],
    ['hex groups of 8', fill('3f7c1e9b ')],
    ['"key:" + hex groups of 32', fill('key: 3f7c1e9b2d4a6f8e0c1b3d5f7a9e2c4b 3f7c1e9b2d4a6f8e0c1b3d5f7a9e2c4b ')],
    ['underscored digit groups', fill('4111_')],
  ])('%s (1 MB)', (_, text) => {
    const findings = detect(text);
    expect(Array.isArray(findings)).toBe(true);
    for (const f of findings) expect(f.end).toBeLessThanOrEqual(text.length);
  });
});
