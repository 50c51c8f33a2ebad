// Invisible characters (zero-width space/joiners, word joiner, BOM, soft hyphen …) render as nothing: a secret
// with them sprinkled in is still the secret, and the mask must cover them too.
import { describe, expect, it } from 'vitest';
import { detect } from './index.ts';
import { maskText } from './mask.ts';
import { foldHomoglyphs, originalSpan, visibleText } from './normalize.ts';

const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];
const found = (text: string) => detect(text).map((f) => ({ type: f.type, text: text.slice(f.start, f.end) }));

describe('invisible characters are absent for detection', () => {
  it.each(INVISIBLES.map((z) => [z.codePointAt(0)!.toString(16), z]))('U+%s between and inside phrase words', (_, z) => {
    const between = PHRASE.split(' ').join(`${z} `);
    expect(found(`my seed phrase: ${between}`)).toEqual([{ type: 'seed_phrase', text: between }]);
    const inside = PHRASE.replace('winner', `win${z}ner`).replace('sausage', `sau${z}sa${z}ge`);
    expect(found(`my seed phrase: ${inside}`)).toEqual([{ type: 'seed_phrase', text: inside }]);
  });

  it('finds a card, a code and a password with zero-width characters in them, with exact spans', () => {
    expect(detect('card 4111\u200b1111\u200b1111\u200b1111')).toEqual([{ type: 'payment_card', start: 5, end: 24 }]);
    expect(detect('verification code 4\u200b8\u200b2\u200b9\u200b1\u200b3')).toEqual([{ type: 'otp', start: 18, end: 29 }]);
    expect(detect('pass\u200bword: Hunter2!xyz')).toEqual([{ type: 'password', start: 11, end: 22 }]);
    expect(found('pass\u00adword: Hunter2!xyz')).toEqual([{ type: 'password', text: 'Hunter2!xyz' }]);
  });

  it('masks the invisible characters inside a finding along with it', () => {
    const text = `seed: ${PHRASE.replace('legal', 'le\u200bgal')} \u200bthanks`;
    const masked = maskText(text, detect(text), () => true);
    expect(masked.text).toBe('seed: [seed_phrase removed] \u200bthanks');
  });

  it('leaves a text without them as it is, and maps offsets back across them', () => {
    expect(visibleText('plain text')).toEqual({ text: 'plain text', origin: null });
    const v = visibleText('a\u200b\u200cbc\u{E0041}d'); // a tag character (two UTF-16 units) too
    expect(v.text).toBe('abcd');
    expect(originalSpan(v, 0, 2)).toEqual({ start: 0, end: 4 });
    expect(originalSpan(v, 3, 4)).toEqual({ start: 7, end: 8 });
    expect(originalSpan(v, 2, 2)).toEqual({ start: 4, end: 4 });
  });

  it('still ignores ordinary text with invisible characters (emoji joiners, a BOM)', () => {
    expect(detect('\ufeffhi 👨\u200d👩\u200d👧 my withdrawal is stuck since 2 days')).toEqual([]);
  });
});

describe('look-alike Cyrillic and Greek letters inside Latin words', () => {
  it('reads "lеgal" with a Cyrillic е as "legal", and leaves Russian and Greek words alone', () => {
    const spoofed = PHRASE.replace('legal', 'l\u0435gal').replace('yellow', 'y\u0435ll\u043ew').replace('wave', 'w\u03b1ve');
    expect(found(`my seed phrase: ${spoofed}`)).toEqual([{ type: 'seed_phrase', text: spoofed }]);
    expect(foldHomoglyphs('сор legal')).toBe('сор legal');
    expect(foldHomoglyphs('l\u0435gal ok')).toBe('legal ok');
    expect(foldHomoglyphs('lдgal')).toBe('lдgal'); // д has no Latin twin: the word is left alone
    expect(detect('привет, мой кошелёк не работает, помогите пожалуйста')).toEqual([]);
  });
});
