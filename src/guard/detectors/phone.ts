// Phone numbers: Chinese mobiles (1[3-9]x, 11 digits, optional +86/0086, spaces, dashes or underscores), E.164 numbers
// written with their "+", North American national formats ((555) 123-4567, 555-123-4567), and any 7-15 digit
// number a phone label introduces. Wallet chats are full of long numbers, so a nearby order/UID/amount label,
// or a currency unit right after the number, rules a match out.
import { candidate, labelVerdict, firstMatch, type Candidate, type Detector, withTraditional } from './util.ts';

/**
 * Each shape with a character all its matches contain ('' for none): a shape only runs on texts holding it, as
 * a literal search is several times faster than a regex scan and most messages have no "+" or "(". An underscore
 * sets a number apart as a space does ("@wang_13812345678", a handle built from a display name).
 */
const SHAPES: [RegExp, string][] = [
  [/(?<![A-Za-z0-9+])(?:(?:\+|00)86[ -]?|\(\+?86\)[ -]?)?1[3-9]\d(?:[ _-]?\d{4}){2}(?![A-Za-z0-9])/g, ''],
  [/(?<![A-Za-z0-9+])\+[1-9](?:[ -]?\d){7,14}(?![A-Za-z0-9])/g, '+'],
  [/(?<![A-Za-z0-9+])\+1[ -]?\(\d{3}\)[ -]?\d{3}[ -.]?\d{4}(?![A-Za-z0-9])/g, '+'],
  [/(?<![A-Za-z0-9(+])\(\d{3}\)[ ]?\d{3}[-. ]\d{4}(?![A-Za-z0-9])/g, '('],
  [/(?<![A-Za-z0-9+./-])\d{3}([-.])\d{3}\1\d{4}(?![A-Za-z0-9./-])/g, ''],
];
const PHONE_LABEL =
  withTraditional(
  /(?<![A-Za-z])(?:phone|tel|telephone|mobile|cell|whats\s*app|signal|viber|call(?:\s+me)?(?:\s+(?:at|on))?|text\s+me(?:\s+(?:at|on))?|contact(?:\s+number)?)(?![A-Za-z])|手机|电话|联系方式|联系我|号码|打给我/gi,
);
// A word inside an address or a domain ("li.wei@qq.com", "order.example") is no label: hence "@" and "." too.
const NOT_PHONE_LABEL =
  withTraditional(
  /(?<![A-Za-z@.])(?:order|tx|txid|transaction|hash|uid|user\s*id|id|amount|balance|block|height|nonce|ref|reference|invoice|tracking|card|qq|version|build)(?![A-Za-z])|订单|单号|交易|金额|余额|区块|高度|卡号|编号|流水|版本/gi,
);
const LABELLED =
  withTraditional(
  /(?<![A-Za-z])(?:phone(?:\s*(?:number|no\.?|#))?|tel|telephone|mobile(?:\s*(?:number|no\.?))?|cell|whats\s*app|call(?:\s+me)?(?:\s+(?:at|on))?|text\s+me\s+(?:at|on))(?![A-Za-z])[\s:：#=-]{0,4}(?:is\s{1,3})?(\+?\d(?:[ -]?\d){6,14})(?![\w])|(?:手机号?码?|电话(?:号码)?|联系电话|联系方式)(?:是|为)?[\s:：#=-]{0,4}(\+?\d(?:[ -]?\d){6,14})(?![\w])/gi,
);
/** Currency or unit right after a number: it is an amount, not a phone number. */
const UNIT_AFTER = withTraditional(
  /^\s{0,2}(?:sats?|usdt|usdc|btc|eth|trx|bnb|sol|gwei|wei|usd|cny|rmb|eur|元|块|个|枚|美元|人民币|%)/i,
);

export const detectPhones: Detector = (text) => {
  const out: Candidate[] = [];
  for (const [shape, hint] of SHAPES) {
    if (!text.includes(hint)) continue;
    for (let m = firstMatch(shape, text); m; m = shape.exec(text)) {
      const end = m.index + m[0].length;
      if (UNIT_AFTER.test(text.slice(end, end + 12))) continue;
      const verdict = labelVerdict(text, m.index, end, PHONE_LABEL, NOT_PHONE_LABEL, 32, 0);
      if (verdict !== 'negative') out.push(candidate('phone', m.index, end, verdict === 'positive'));
    }
  }
  for (let m = firstMatch(LABELLED, text); m; m = LABELLED.exec(text)) {
    const value = m[1] ?? m[2] ?? '';
    const end = m.index + m[0].length;
    if (!UNIT_AFTER.test(text.slice(end, end + 12))) out.push(candidate('phone', end - value.length, end, true));
  }
  return out;
};
