import { describe, expect, it } from 'vitest';
import { chineseId, invalidChineseId, Rng, ssn } from '../corpus/values.ts';
import { chineseIdValid, detectNationalIds } from './national-id.ts';
import { values } from './testing.ts';

const r = new Rng(11);
const ids = (text: string) => values(detectNationalIds, text);

describe('Chinese resident ID', () => {
  it('checks the ISO 7064 mod 11-2 character and the birth date', () => {
    expect(chineseIdValid('11010519491231002X')).toBe(true);
    expect(chineseIdValid('110105194912310021')).toBe(false);
    expect(chineseIdValid('110105194902300021')).toBe(false); // 30 February
  });

  it.each(['身份证号 {id}', '身份证：{id}', 'my ID number is {id}', '{id} 张伟 实名认证一直不通过', '证件号码{id}'])('finds %s', (template) => {
    const id = chineseId(r);
    expect(ids(template.replace('{id}', id))).toEqual([id]);
  });

  it('reads the spaced form and a lower-case x', () => {
    expect(ids('ID: 110105 19491231 002X')).toEqual(['110105 19491231 002X']);
    expect(ids('身份证 11010519491231002x')).toEqual(['11010519491231002x']);
  });

  it('rejects wrong check digits, future birth dates and order numbers', () => {
    expect(ids(`身份证 ${invalidChineseId(r)}`)).toEqual([]);
    expect(ids('身份证 110105209912310018')).toEqual([]);
    const id = chineseId(r);
    expect(ids(`订单号 ${id}`)).toEqual([]);
  });

  it('reads full-width digits and keeps offsets after emoji', () => {
    const text = '🪪 身份证：１１０１０５１９４９１２３１００２Ｘ';
    expect(ids(text)).toEqual(['１１０１０５１９４９１２３１００２Ｘ']);
  });
});

describe('US Social Security numbers', () => {
  it('finds labelled SSNs', () => {
    const value = ssn(r);
    expect(ids(`SSN ${value}`)).toEqual([value]);
    expect(ids('my social security number is 078-05-1120, ok?')).toEqual(['078-05-1120']);
    expect(ids('SSN: 078051120')).toEqual(['078051120']);
  });

  it('ignores unlabelled or impossible numbers', () => {
    expect(ids('call 078-05-1120')).toEqual([]);
    expect(ids('SSN 000-12-3456')).toEqual([]);
    expect(ids('SSN 666-12-3456')).toEqual([]);
    expect(ids('SSN 123-00-3456')).toEqual([]);
  });
});

describe('Traditional Chinese labels and the Taiwan ID (issue 9)', () => {
  it.each(['身分證字號 A123456789', '身份證字號：A123456789', '身分證 F131104093'])('finds the Taiwan ID in %s', (text) => {
    expect(ids(text)).toEqual([text.match(/[A-Z]\d{9}/)![0]]);
  });

  it('finds a mainland ID after a Traditional label, and leaves bad check digits and unlabelled IDs alone', () => {
    const id = chineseId(r);
    expect(ids(`身份證號碼 ${id}`)).toEqual([id]);
    expect(ids('身分證字號 A123456788')).toEqual([]);
    expect(ids('model A123456789 is out of stock')).toEqual([]);
    expect(ids('訂單 A123456789')).toEqual([]);
  });
});
