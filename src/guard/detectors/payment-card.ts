// Payment card numbers: 13-19 Luhn-valid digits, optionally grouped by spaces or dashes, with a plausible
// brand prefix for their length; plus a CVV/CVC written next to its label.
// Luhn alone passes one random number in ten, and wallet chats are full of long numbers (order ids, UIDs,
// amounts), so an unlabelled number must also carry a real brand prefix, and a nearby order/tx/phone label
// rules it out.
import {
  candidate,
  digitWindows,
  firstMatch,
  labelVerdict,
  lastMatchEnd,
  luhnValid,
  type Candidate,
  type Detector,
  type LabelVerdict,
  withTraditional,
} from './util.ts';

export const CARD_LABEL =
  withTraditional(
  /(?<![A-Za-z])(?:card|credit|debit|visa|master\s*card|amex|american\s*express|union\s*pay|discover|jcb|maestro|cvv|cvc|exp(?:iry|ires)?)(?![A-Za-z])|卡号|信用卡|银行卡|借记卡|储蓄卡|银联|刷卡/gi,
);
export const NOT_CARD_LABEL =
  withTraditional(
  /(?<![A-Za-z])(?:order|orders|tx|txid|txn|transaction|tracking|invoice|ref|reference|uid|user\s*id|id|no\.?\s*id|phone|tel|mobile|whats\s*app|qq|amount|balance|block|height|nonce|timestamp|hash|account\s*id|serial|imei)(?![A-Za-z])|订单|单号|交易|流水|编号|电话|手机|微信|金额|余额|区块|高度|时间戳|哈希/gi,
);

/** Whether the leading digits name a card brand that issues numbers of this length. */
function brandFits(d: string, labelled: boolean): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n === 14 || n === 16; // Diners
  if (p4 >= 3528 && p4 <= 3589) return n >= 16; // JCB
  if (p2 === 62 || p2 === 60 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return n >= 16; // UnionPay, Discover
  // Maestro and domestic debit ranges (including Chinese 9xxx cards) only with a card label.
  return labelled && (p2 === 50 || (p2 >= 56 && p2 <= 58) || p2 === 67 || d[0] === '9') && n >= 12;
}

/** A Luhn-valid number of an international brand (not UnionPay or a domestic debit range). */
export function isInternationalCard(d: string): boolean {
  return /^[2345]/.test(d) && luhnValid(d) && brandFits(d, false);
}

const CVV = withTraditional(
  /(?<![A-Za-z])(?:cvv2?|cvc2?|cid|security\s*code|安全码)(?![A-Za-z])[\s:：#=]{0,4}(?:is\s+)?(\d{3,4})(?!\d)/gi,
);

// What follows a label when the label names a value of its own: a token holding a digit ("A1B2C3", "#12345").
const OWN_VALUE = /^[\s:：#=№.-]*(?:no\.?\s*)?([A-Za-z0-9][A-Za-z0-9_-]*)/i;

/**
 * Which label governs the number at [start, end) (labelVerdict, 40 characters before it). A "not a card" label
 * that already has a value of its own between it and the number ("ref A1B2C3: 5555 …", "order 12345, paid with
 * 4111 …") does not govern it: the labels after it are read instead. A value that is only digits, a single space
 * or dash before the number, may be the number's own first group ("order 2024 4111 …"): the label still governs.
 */
function cardVerdict(text: string, start: number, end: number): LabelVerdict {
  const verdict = labelVerdict(text, start, end, CARD_LABEL, NOT_CARD_LABEL, 40, 0);
  if (verdict !== 'negative') return verdict;
  const labelEnd = lastMatchEnd(text, start - 40, start, NOT_CARD_LABEL);
  const between = text.slice(labelEnd, start);
  const m = OWN_VALUE.exec(between);
  const value = m?.[1] ?? '';
  if (!/\d/.test(value)) return verdict;
  const rest = between.slice((m?.[0].length ?? 0));
  if (/^\d+$/.test(value) && (rest === ' ' || rest === '-')) return verdict;
  return labelVerdict(text, start, end, CARD_LABEL, NOT_CARD_LABEL, start - labelEnd, 0);
}

export const detectPaymentCards: Detector = (text) => {
  const out: Candidate[] = [];
  for (const w of digitWindows(text, 13, 19)) {
    if (!luhnValid(w.digits)) continue;
    const verdict = cardVerdict(text, w.start, w.end);
    if (verdict === 'negative' || !brandFits(w.digits, verdict === 'positive')) continue;
    out.push(candidate('payment_card', w.start, w.end, verdict === 'positive'));
    w.taken = true;
  }
  for (let m = firstMatch(CVV, text); m; m = CVV.exec(text)) {
    const value = m[1] ?? '';
    const end = m.index + m[0].length;
    out.push(candidate('payment_card', end - value.length, end, true));
  }
  return out;
};
