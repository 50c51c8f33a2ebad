// Bank accounts: IBANs (verified by their ISO 13616 mod-97 check and per-country length), and Chinese bank card
// numbers of 16-19 digits when a bank label (银行卡, 卡号, bank card, account number…) introduces them. Chinese
// debit card numbers are not all Luhn-valid, so for these the label is the evidence, not a checksum. A generic
// label in front of a valid Visa/Mastercard/Amex number ("卡号 4111…") leaves it to the payment card detector.
import { isInternationalCard } from './payment-card.ts';
import { candidate, digitWindows, labelVerdict, firstMatch, type Candidate, type Detector, withTraditional } from './util.ts';

// Explicit bank labels always make a 16-19 digit number a bank account …
const BANK_LABEL =
  withTraditional(
  /银行卡|储蓄卡|借记卡|工资卡|银行(?:(?:账|帐)[号户])?|收款(?:账|帐|卡)号|开户行|(?<![A-Za-z])bank\s*(?:card|account)(?![A-Za-z])/gi,
);
// … generic ones ("卡号", "account number") only when the number is not a valid international card number.
const ACCOUNT_LABEL =
  withTraditional(
  /(?<!信用卡?)卡号|(?:账|帐)号|(?:账|帐)户|(?<![A-Za-z])(?:account\s*(?:number|no\.?|#)|acc(?:oun)?t\s*(?:no\.?|#))(?![A-Za-z])/gi,
);
const NOT_BANK_LABEL =
  withTraditional(
  /信用卡|订单|单号|交易|流水|手机|电话|身份证|(?<![A-Za-z])(?:credit|visa|master\s*card|amex|order|tx|txid|transaction|uid|user\s*id|phone|mobile|tracking|invoice|id\s*card)(?![A-Za-z])/gi,
);

const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])/g;
// Registered IBAN lengths (SWIFT IBAN registry) for the countries customers are likely to write from.
const IBAN_LENGTH: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18,
  GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24,
  PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** ISO 7064 mod 97-10 over the rearranged IBAN, computed piecewise to stay within integer range. */
export function ibanValid(compact: string): boolean {
  if (IBAN_LENGTH[compact.slice(0, 2)] !== compact.length) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const c = ch.charCodeAt(0);
    const value = c <= 57 ? c - 48 : c - 55;
    rest = value < 10 ? (rest * 10 + value) % 97 : (rest * 100 + value) % 97;
  }
  return rest === 1;
}

export const detectBankAccounts: Detector = (text) => {
  const out: Candidate[] = [];
  for (let m = firstMatch(IBAN, text); m; m = IBAN.exec(text)) {
    if (ibanValid(m[0].replace(/ /g, ''))) out.push(candidate('bank_account', m.index, m.index + m[0].length, true));
  }
  for (const w of digitWindows(text, 16, 19)) {
    if (labelVerdict(text, w.start, w.end, BANK_LABEL, NOT_BANK_LABEL, 32, 0) !== 'positive') {
      if (labelVerdict(text, w.start, w.end, ACCOUNT_LABEL, NOT_BANK_LABEL, 32, 0) !== 'positive') continue;
      if (isInternationalCard(w.digits)) continue;
    }
    out.push(candidate('bank_account', w.start, w.end, true));
    w.taken = true;
  }
  return out;
};
