import { describe, expect, it } from 'vitest';
import { mnemonicWords, phraseIn, Rng } from './corpus/values.ts';
import { findSplitPhrases, mayBePhrasePart } from './split.ts';

const r = new Rng(99);
/** The found spans as text, per message id. */
const split = (parts: { id: string; text: string }[]) =>
  Object.fromEntries([...findSplitPhrases(parts)].map(([id, fs]) => [id, fs.map((f) => parts.find((p) => p.id === id)!.text.slice(f.start, f.end))]));

describe('phrases split across messages', () => {
  it('finds a framed phrase posted in two halves, with exact spans in each message', () => {
    const words = mnemonicWords(r, 12, 'en');
    const parts = [
      { id: 'a', text: `my recovery phrase is ${words.slice(0, 6).join(' ')}` },
      { id: 'b', text: `${words.slice(6).join(' ')} please help` },
    ];
    expect(split(parts)).toEqual({ a: [words.slice(0, 6).join(' ')], b: [words.slice(6).join(' ')] });
  });

  it('finds an unframed valid phrase over three messages, and a 24-word one over two', () => {
    const words = mnemonicWords(r, 12, 'en');
    const parts = [0, 4, 8].map((i, k) => ({ id: `m${k}`, text: words.slice(i, i + 4).join(' ') }));
    expect(split(parts)).toEqual({ m0: [words.slice(0, 4).join(' ')], m1: [words.slice(4, 8).join(' ')], m2: [words.slice(8).join(' ')] });
    const long = phraseIn(r, 'es', 24);
    expect(split([{ id: 'x', text: long.slice(0, 12).join(' ') }, { id: 'y', text: long.slice(12).join(' ') }])).toEqual({
      x: [long.slice(0, 12).join(' ')],
      y: [long.slice(12).join(' ')],
    });
  });

  it('ignores a phrase inside one message and unrelated messages around it', () => {
    const words = mnemonicWords(r, 12, 'en');
    expect(split([{ id: 'a', text: 'hello, my withdrawal is stuck' }, { id: 'b', text: words.join(' ') }])).toEqual({});
    expect(split([{ id: 'a', text: 'hi' }])).toEqual({});
  });

  it('ignores ordinary messages that only happen to use list words', () => {
    expect(
      split([
        { id: 'a', text: 'I have a problem with my account balance' },
        { id: 'b', text: 'the swap fee was too high and the bridge transfer is still pending' },
        { id: 'c', text: 'can you check what happened to my coin' },
      ]),
    ).toEqual({});
  });

  it('tells which messages may be parts', () => {
    expect(mayBePhrasePart('abandon ability able')).toBe(true);
    expect(mayBePhrasePart('boca nuera masa')).toBe(true);
    expect(mayBePhrasePart('hi, is anyone there?')).toBe(false);
  });
});

describe('parts addressed to the bot', () => {
  it('reads past the mentions each part opens with', () => {
    const words = mnemonicWords(r, 12, 'en');
    const parts = [
      { id: 'a', text: `@support_test_bot my seed phrase: ${words.slice(0, 6).join(' ')}` },
      { id: 'b', text: `@support_test_bot ${words.slice(6).join(' ')}` },
    ];
    expect(split(parts)).toEqual({ a: [words.slice(0, 6).join(' ')], b: [words.slice(6).join(' ')] });
  });
});

describe('halves with framing words between them', () => {
  it('finds a 6 + 6 phrase without numbering, "first half: …" then "and the rest: …", exact spans', () => {
    const parts = [
      { id: 'a', text: 'my seed phrase first half: legal winner thank year wave sausage' },
      { id: 'b', text: 'and the rest: worth useful legal winner thank yellow' },
    ];
    expect(findSplitPhrases(parts)).toEqual(
      new Map([
        ['a', [{ type: 'seed_phrase', start: 27, end: 63 }]],
        ['b', [{ type: 'seed_phrase', start: 14, end: 52 }]],
      ]),
    );
  });

  it('finds random phrases framed in other words, and halves with invisible characters', () => {
    for (let i = 0; i < 20; i++) {
      const words = mnemonicWords(r, 12, 'en');
      const a = `here is part one of my recovery phrase: ${words.slice(0, 6).join(' ')} (to be continued)`;
      const b = `and the rest :) ${words.slice(6).join('\u200b ')}, thanks!!`;
      expect(split([{ id: 'a', text: a }, { id: 'b', text: b }])).toEqual({ a: [words.slice(0, 6).join(' ')], b: [words.slice(6).join('\u200b ')] });
    }
  });

  it('does not join list words of unrelated messages across framing', () => {
    expect(
      split([
        { id: 'a', text: 'first half of the year my wallet was fine' },
        { id: 'b', text: 'and the rest of the time the app keeps crashing when I open it' },
      ]),
    ).toEqual({});
  });
});

describe('a part that is a phrase on its own, masked already', () => {
  const PLACEHOLDER = '[seed_phrase removed]';
  /** A part whose text holds a masked phrase where `{}` stands. */
  const masked = (id: string, text: string) => ({ id, text: text.replace('{}', PLACEHOLDER), masked: [{ start: text.indexOf('{}'), end: text.indexOf('{}') + PLACEHOLDER.length }] });

  it('is continued by the rest, before or after it, with exact spans in the clear part only', () => {
    const words = mnemonicWords(r, 24, 'en');
    const rest = words.slice(12).join(' ');
    expect(split([masked('a', 'first half of my words: {}'), { id: 'b', text: `and the rest: ${rest}` }])).toEqual({ b: [rest] });
    const start = words.slice(0, 12).join(' ');
    expect(split([{ id: 'a', text: start }, masked('b', 'the rest of my seed phrase: {} thanks')])).toEqual({ a: [start] });
    const eighteen = mnemonicWords(r, 18, 'en');
    expect(split([masked('a', 'my seed phrase: {}'), { id: 'b', text: `${eighteen.slice(12).join(' ')}. Thanks!` }])).toEqual({ b: [eighteen.slice(12).join(' ')] });
  });

  it('is continued by a Chinese rest after a part label', () => {
    const words = mnemonicWords(r, 24, 'zh');
    const rest = words.slice(12).join(' ');
    expect(split([masked('a', '助记词前半部分：{}'), { id: 'b', text: `后半部分：${rest}` }])).toEqual({ b: [rest] });
  });

  it('is not continued by prose, short runs of list words, or another masked phrase', () => {
    for (const text of [
      'thanks, I will move all my funds to a new wallet now',
      'please help me, I lost access to my wallet after the update',
      'can you check what happened to my coin',
      'my wallet address is empty now, all gone',
      'oops, also: ' + mnemonicWords(r, 3, 'en').join(' '),
    ]) {
      expect(split([masked('a', 'my recovery phrase: {}'), { id: 'b', text }])).toEqual({});
    }
    expect(split([masked('a', 'my seed phrase: {}'), masked('b', '{} oops, the other wallet')])).toEqual({});
  });
});
