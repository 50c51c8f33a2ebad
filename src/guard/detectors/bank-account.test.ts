import { describe, expect, it } from 'vitest';
import { chineseBankCard, iban, Rng } from '../corpus/values.ts';
import { detectBankAccounts, ibanValid } from './bank-account.ts';
import { values } from './testing.ts';

const r = new Rng(5);
const accounts = (text: string) => values(detectBankAccounts, text);

describe('IBAN', () => {
  it('accepts valid IBANs, compact or grouped, and checks mod 97', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('GB82WEST1234569876543')).toBe(false); // wrong length for GB
    for (let i = 0; i < 100; i++) {
      const value = iban(r);
      expect(accounts(`refund to ${value} thx`)).toEqual([value]);
    }
  });

  it('ignores IBAN look-alikes', () => {
    expect(accounts('DE89 3704 0044 0532 0130 01')).toEqual([]);
    expect(accounts('version AB12 CDEF GHIJ KLMN')).toEqual([]);
  });
});

describe('Chinese bank card numbers', () => {
  it('finds a labelled number after a full-width comma or a token glued to a digit', () => {
    expect(accounts('银行卡，6222021234567890123')).toEqual(['6222021234567890123']);
    expect(accounts('银行卡号 utf8 6222 0212 3456 7890 123')).toEqual(['6222 0212 3456 7890 123']);
    expect(accounts('银行卡号 iPhone15 6222021234567890')).toEqual(['6222021234567890']);
    expect(accounts('订单号 utf8 6222021234567890123')).toEqual([]);
  });

  it.each(['我的银行卡号是{n}', '银行卡：{n}', '收款账号 {n} 户名 王芳', 'bank account number: {n}', 'please refund to my bank card {n}', '转账到工商银行 {n}', '卡号 {n}'])(
    'finds a labelled number: %s',
    (template) => {
      const n = chineseBankCard(r);
      expect(accounts(template.replace('{n}', n))).toEqual([n]);
    },
  );

  it('needs a bank label', () => {
    expect(accounts(`number ${chineseBankCard(r)}`)).toEqual([]);
    expect(accounts('订单号 6222021234567890128')).toEqual([]);
    expect(accounts('信用卡卡号 6222021234567890128')).toEqual([]);
  });

  it('leaves a valid international card after a generic label to the card detector', () => {
    expect(accounts('卡号 4111 1111 1111 1111')).toEqual([]);
    expect(accounts('银行卡 4111 1111 1111 1111')).toEqual(['4111 1111 1111 1111']);
  });

  it('reads full-width digits and keeps offsets after emoji', () => {
    const text = '🏦 银行卡：６２２２０２１２３４５６７８９０１２８';
    const [f] = detectBankAccounts(text.replace(/[０-９：]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
    expect(f).toMatchObject({ type: 'bank_account', start: 7, end: text.length });
    expect(accounts(text)).toEqual(['６２２２０２１２３４５６７８９０１２８']);
  });
});
