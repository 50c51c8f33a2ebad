import { describe, expect, it } from 'vitest';
import { detectEmails } from './email.ts';
import { values } from './testing.ts';

const emails = (text: string) => values(detectEmails, text);

describe('email addresses', () => {
  it.each([
    ['my email is zhang.san@example.com', 'zhang.san@example.com'],
    ['邮箱：li_si88@qq.com，谢谢', 'li_si88@qq.com'],
    ['reach me at tom.k+wallet@mail.proton.me.', 'tom.k+wallet@mail.proton.me'],
    ['(anna@yahoo.co.jp)', 'anna@yahoo.co.jp'],
    ['邮箱是john@x.com吗', 'john@x.com'],
  ])('finds %j', (text, value) => {
    expect(emails(text)).toEqual([value]);
  });

  it('finds several, and full-width @ after folding', () => {
    expect(emails('a@b.io, c@d.org')).toEqual(['a@b.io', 'c@d.org']);
    expect(emails('mail: wang＠163.com')).toEqual(['wang＠163.com']);
  });

  it.each(['@support please help', 'my twitter is @zhang_wei', 'user@localhost', 'a@b', 'x@.com', 'price 10@3.5'])('leaves %j alone', (text) => {
    expect(emails(text)).toEqual([]);
  });

  it('keeps UTF-16 offsets right after emoji', () => {
    const text = '😀😀 a.b@c.com';
    expect(detectEmails(text)[0]).toMatchObject({ start: 5, end: text.length });
  });

  it('stays linear on adversarial input', () => {
    expect(detectEmails('a'.repeat(1_000_000) + '@')).toEqual([]);
    expect(detectEmails('a@'.repeat(500_000))).toEqual([]);
    expect(detectEmails('@'.repeat(1_000_000))).toEqual([]);
  });
});
