import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/types.ts';
import { detect } from './index.ts';
import { maskText, placeholderFor } from './mask.ts';

describe('maskText', () => {
  const text = '😀 pw: hunter22, mail a@b.io, code 482913';
  const findings: Finding[] = [
    { type: 'password', start: 7, end: 15 },
    { type: 'email', start: 22, end: 28 },
    { type: 'otp', start: 35, end: 41 },
  ];

  it('replaces masked spans and shifts the rest', () => {
    const out = maskText(text, findings, (f) => f.type !== 'email');
    expect(out.text).toBe('😀 pw: [password removed], mail a@b.io, code [otp removed]');
    const slices = out.findings.map((f) => out.text.slice(f.start, f.end));
    expect(slices).toEqual(['[password removed]', 'a@b.io', '[otp removed]']);
  });

  it('masks everything or nothing', () => {
    expect(maskText(text, findings, () => false)).toEqual({ text, findings });
    const all = maskText(text, findings, () => true);
    expect(all.text).not.toContain('hunter22');
    expect(all.text).not.toContain('a@b.io');
    expect(all.findings.map((f) => all.text.slice(f.start, f.end))).toEqual(findings.map((f) => placeholderFor(f.type)));
  });

  it('keeps the input order of findings, even when given unsorted', () => {
    const reversed = [...findings].reverse();
    const out = maskText(text, reversed, () => true);
    expect(out.findings.map((f) => f.type)).toEqual(['otp', 'email', 'password']);
  });

  it('rejects overlapping or out-of-range findings', () => {
    expect(() => maskText(text, [findings[0]!, { type: 'otp', start: 10, end: 20 }], () => true)).toThrow(RangeError);
    expect(() => maskText('short', [{ type: 'otp', start: 2, end: 9 }], () => true)).toThrow(RangeError);
  });

  it('masks what detect() finds, leaving no secret behind', () => {
    const message = '我的私钥是 4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318，密码：Abc12345';
    const out = maskText(message, detect(message), () => true);
    expect(out.text).toBe('我的私钥是 [private_key removed]，密码：[password removed]');
  });
});
