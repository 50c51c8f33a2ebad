import { describe, expect, it } from 'vitest';
import { cardNumber, Rng } from '../corpus/values.ts';
import { detect } from '../index.ts';
import { detectPaymentCards } from './payment-card.ts';
import { values } from './testing.ts';

const r = new Rng(3);
const cards = (text: string) => values(detectPaymentCards, text);

describe('payment cards', () => {
  it('finds Luhn-valid numbers of every brand, plain or grouped', () => {
    for (let i = 0; i < 200; i++) {
      const card = cardNumber(r);
      expect(cards(`card ${card} exp 09/27`)).toEqual([card]);
      expect(cards(card)).toEqual([card]);
    }
  });

  it.each([
    ['4111 1111 1111 1111'],
    ['4111-1111-1111-1111'],
    ['4111111111111111'],
    ['3782 822463 10005'],
    ['5555 5555 5555 4444'],
    ['6222 0212 3456 7890 128'],
  ])('reads %s', (card) => {
    expect(cards(`my card ${card} was charged twice`)).toEqual([card]);
  });

  it('finds the card inside a longer digit sequence', () => {
    expect(cards('ref 12 4111 1111 1111 1111')).toEqual([]); // "ref" rules the number out
    expect(cards('paid 12 4111 1111 1111 1111')).toEqual(['4111 1111 1111 1111']);
  });

  it('finds a card after a token glued to a digit, a full-width comma, or a label that has its own value', () => {
    // The exact spans detect() reports: normalization turns "，" into ",", which must not glue the number to prose.
    const spans = (text: string) => detect(text).map((f) => [f.type, text.slice(f.start, f.end)]);
    expect(spans('我用iPhone15支付，4111 1111 1111 1111 被扣了两次')).toEqual([['payment_card', '4111 1111 1111 1111']]);
    expect(spans('ref A1B2C3: 5555 5555 5555 4444 declined')).toEqual([['payment_card', '5555 5555 5555 4444']]);
    expect(spans('x8 4111111111111111')).toEqual([['payment_card', '4111111111111111']]);
    expect(spans('utf8 4111111111111111')).toEqual([['payment_card', '4111111111111111']]);
    expect(spans('card 4111.1111.1111.1111')).toEqual([['payment_card', '4111.1111.1111.1111']]);
    expect(spans('amex 3782.822463.10005 charged')).toEqual([['payment_card', '3782.822463.10005']]);
    expect(spans('4111 1111 1111 1111 2nd charge today')).toEqual([['payment_card', '4111 1111 1111 1111']]);
    expect(spans('order 12345: 4111 1111 1111 1111 charged twice')).toEqual([['payment_card', '4111 1111 1111 1111']]);
    expect(spans('card ref A1B2C3: 5555 5555 5555 4444')).toEqual([['payment_card', '5555 5555 5555 4444']]);
    expect(spans('paid 1,234.56 4111 1111 1111 1111')).toEqual([['payment_card', '4111 1111 1111 1111']]);
  });

  it.each([
    ['an order label right before the number', '我用iPhone15支付，订单号 4111111111111111'],
    ['an order label with digits in the same run', '订单号 2024 4111 1111 1111 1111'],
    ['a label with its digits right before', 'order 2024 4111 1111 1111 1111'],
    ['the label after a spent one', 'ref A1B2C3 order 5555555555554444'],
    ['a decimal fraction', 'balance 0.4111111111111111'],
    ['dotted groups glued to a version', 'v2.4111.1111.1111.1111'],
    ['an amount with dots', 'paid 1234.56 and 4111.11'],
    ['an order number after a glued digit', 'utf8 2024031512345678'],
    ['a phone number after a glued digit', 'iPhone15 13812345678'],
  ])('still leaves alone: %s', (_, text) => {
    expect(cards(text)).toEqual([]);
    expect(detect(text).filter((f) => f.type === 'payment_card')).toEqual([]);
  });

  it('finds a CVV next to its label', () => {
    expect(cards('Card: 4111 1111 1111 1111 CVC: 123')).toEqual(['4111 1111 1111 1111', '123']);
    expect(cards('信用卡卡号：４１１１１１１１１１１１１１１１ 安全码 987')).toEqual(['４１１１１１１１１１１１１１１１', '987']);
  });

  it.each([
    ['Luhn fails', 'card 4111 1111 1111 1112'],
    ['order number', 'Order ID: 4111111111111111 refund please'],
    ['订单号', '订单 6222021234567890128 已付款未到账'],
    ['no brand', '9111111111111111'],
    ['2023 is not a Mastercard range', '2023112512345678'],
    ['timestamp', 'timestamp 1710498765123'],
    ['decimal', 'balance 0.4111111111111111 BTC'],
    ['too long', '41111111111111111111111'],
    ['glued to letters', 'ID4111111111111111'],
    ['single digits', '4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1'],
  ])('leaves alone: %s', (_, text) => {
    expect(cards(text)).toEqual([]);
  });

  it('keeps UTF-16 offsets right after emoji', () => {
    const text = '💳💳 4111 1111 1111 1111';
    expect(detectPaymentCards(text)[0]).toMatchObject({ start: 5, end: text.length });
  });

  it('stays linear on adversarial input', () => {
    expect(detectPaymentCards('1'.repeat(1_000_000))).toEqual([]);
    expect(detectPaymentCards('1 '.repeat(300_000))).toEqual([]);
    expect(detectPaymentCards('4111 '.repeat(100_000))).toBeInstanceOf(Array);
  });
});

describe('numbers written with underscores', () => {
  const spans = (text: string) => detect(text).map((f) => [f.type, f.start, f.end, text.slice(f.start, f.end)]);

  it.each([
    ['my card is 4111_1111_1111_1111', 'payment_card', 11, '4111_1111_1111_1111'],
    ['@bob_4111_1111_1111_1111 charged twice', 'payment_card', 5, '4111_1111_1111_1111'],
    ['sse_5105105105105100', 'payment_card', 4, '5105105105105100'],
    ['v2_4111111111111111 declined', 'payment_card', 3, '4111111111111111'],
    ['4111_1111_1111_1111_abc', 'payment_card', 0, '4111_1111_1111_1111'],
    ['银行卡号 6222_0212_3456_7890_128', 'bank_account', 5, '6222_0212_3456_7890_128'],
    ['@zhang_11010519491231002X 实名认证失败', 'national_id', 7, '11010519491231002X'],
    ['@wang_13812345678 收不到验证码', 'phone', 6, '13812345678'],
    ['@wang_138_1234_5678', 'phone', 6, '138_1234_5678'],
  ])('finds the number in %s', (text, type, start, value) => {
    expect(spans(text)).toEqual([[type, start, start + value.length, value]]);
  });

  it.each([
    ['a build tag', 'build_2024_11_29 fails on login'],
    ['an order id', 'order_id_123456 still pending'],
    ['a card-shaped order id', 'order_id_4111111111111111 refund?'],
    ['a card-shaped tx handle', 'tx_5105_1051_0510_5100 stuck'],
    ['a version tag', 'release_v2_13_4 breaks the swap page'],
    ['a camera file name', 'IMG_20241129_153012.jpg attached'],
  ])('leaves alone: %s', (_, text) => {
    expect(spans(text)).toEqual([]);
  });
});
