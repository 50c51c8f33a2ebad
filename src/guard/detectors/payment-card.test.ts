import { describe, expect, it } from 'vitest';
import { cardNumber, Rng } from '../corpus/values.ts';
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
