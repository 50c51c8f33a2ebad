import { describe, expect, it } from 'vitest';
import { chineseMobile, foreignPhone, Rng } from '../corpus/values.ts';
import { detectPhones } from './phone.ts';
import { found, values } from './testing.ts';

const r = new Rng(13);
/** Distinct phone spans (detectors may report overlapping shapes; detect() keeps one). */
const phones = (text: string) => [...new Set(values(detectPhones, text))].filter((v, _, all) => !all.some((o) => o !== v && o.includes(v)));

describe('phone numbers', () => {
  it('finds Chinese mobiles in every common format', () => {
    for (let i = 0; i < 100; i++) {
      const n = chineseMobile(r);
      expect(phones(`手机号 ${n}`)).toEqual([n]);
    }
  });

  it('finds international and North American formats', () => {
    for (let i = 0; i < 100; i++) {
      const n = foreignPhone(r);
      expect(phones(`call me at ${n} please`)).toEqual([n]);
    }
  });

  it.each([
    ['电话：021-12345678', '021-12345678'],
    ['WhatsApp +971501234567', '+971501234567'],
    ['tel 13800138000', '13800138000'],
    ['手机：１３８ １２３４ ５６７８', '１３８ １２３４ ５６７８'],
  ])('finds %j', (text, value) => {
    expect(phones(text)).toEqual([value]);
  });

  it.each([
    'UID 13812345678 的账户被冻结了',
    '转了 15000000000 sats 还没到',
    'amount 13800000000 wei',
    'order 13812345678',
    'block 19234567 confirmed',
    'timestamp 1710498765123',
    'I sent 1,234.56 USDT on 2024-03-15 14:32',
    'version 3.12.4 (build 20240315)',
    '138****5678',
  ])('leaves %j alone', (text) => {
    expect(found(detectPhones, text)).toEqual([]);
  });

  it('reads "qq" in an email domain as part of the address, not as a QQ-number label', () => {
    expect(phones('contact me: li.wei@qq.com or 160-4289-4208')).toEqual(['160-4289-4208']);
    expect(phones('li.wei@qq.com 189-8921-1790')).toEqual(['189-8921-1790']);
    expect(phones('my qq 189-8921-1790')).toEqual([]); // the label itself still rules the number out
  });

  it('keeps UTF-16 offsets right after emoji', () => {
    const text = '📞📞 +86 138 1234 5678';
    expect(detectPhones(text)[0]).toMatchObject({ start: 5, end: text.length });
  });

  it('stays linear on adversarial input', () => {
    expect(detectPhones('+1 '.repeat(300_000))).toEqual([]);
    expect(detectPhones('1'.repeat(1_000_000))).toEqual([]);
  });
});
