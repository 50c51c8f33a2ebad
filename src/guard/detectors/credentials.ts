// Passwords and one-time codes disclosed in words: "my password is …", "pwd=…", "密码：…", "验证码 482913",
// "2FA code 123456". Messages that only talk about a password or a code ("I forgot my password", "验证码收不到",
// "error code 1002") carry no value after the label, or a value that is plainly not a secret, and are left alone.
// The span is the value only, never the label.
import { candidate, codeAt, isHan, firstMatch, type Candidate, type Detector, withTraditional } from './util.ts';

// --- passwords -----------------------------------------------------------------------------------------------

// Labels include the common misspellings ("pasword", "passwrod"): customers in a hurry type them.
const PASSWORD_LABEL =
  withTraditional(
  /(?<![A-Za-z0-9])(?:pass(?:code|phrase)?|pas{1,2}(?:word|wrod|owrd|wd|wod)|pwd|pw|pin(?:[ \t]*code|码)?)(?![A-Za-z])|(?<!动态|验证|短信)(?:登录|登陆|支付|交易|资金|钱包|解锁|账户|账号)?(?:密码|口令)/gi,
);
// What may sit between a label and its value ("password for my binance account is …", "密码是：…"); a comma may
// follow ("密码，…": the full-width comma normalized) without counting as a connector.
// Bounded quantifiers only, so a long run of spaces or words after a label stays linear.
const CONNECTOR = String.raw`[ \t]{0,3}(?:[:=：]|->|=>|-(?=[ \t])|(?:is(?:[ \t]+(?:now|still))?|was|would[ \t]+be|to|as)(?=[\s"'“‘\x60:])|是|为)`;
// "the password I set is …", "password that I used for binance was …".
const SET_BY_ME = String.raw`(?:(?:that|which)[ \t]{1,3})?(?:i|we)(?:[ \t]{1,3}(?:have|had|just|always|recently|first))?[ \t]{1,3}(?:set|use|used|chose|chosen|created|made|picked|typed|entered|put|gave|changed(?:[ \t]{1,3}it)?)(?:[ \t]{1,3}(?:for|on|in|at)(?:[ \t]{1,3}[\w.@'-]{1,24}){1,3})?`;
const PASSWORD_LINK = withTraditional(new RegExp(
  String.raw`(?:[ \t]{1,3}(?:(?:for|of|on|in|to)(?:[ \t]{1,3}[\w.@'-]{1,24}){1,3}|${SET_BY_ME})((?:${CONNECTOR}){1,2})|((?:${CONNECTOR}){0,2}))[ \t]{0,3},?[ \t]{0,3}\n?[ \t]{0,3}(["'“‘\x60]?)`,
  'iy',
));
const STRONG_LINK = withTraditional(
  /[:=：是为]|->|=>|-/,
);

/** Words that follow "password is …" without being the password. */
const NOT_A_VALUE = new Set(
  (
    'is was not wrong incorrect correct right invalid expired forgotten forgot lost reset changed same different ' +
    'too very also still just now the a an my your our his her their it this that and or but for to of in on with ' +
    'required needed ok okay fine good bad working broken strong weak long short empty blank missing here there ' +
    'below above what which how why when where none null nil n/a na saved stored encrypted hidden secret removed ' +
    'redacted locked blocked case sensitive protected set updated gone unknown something anything nothing please ' +
    'help login log sign account wallet app again twice done new old stolen compromised leaked hacked simple ' +
    'complicated complex secure insecure easy hard weird strange correctly definitely probably really actually ' +
    'already always never so no yes mine yours same? unchanged known visible asterisks dots'
  ).split(' '),
);
/** Words after which a plain word that follows "is" is still prose: "my password is sunshine and …" is fine. */
const SENTENCE_GOES_ON = /^[ \t]{1,3}(?!and\b|but\b|so\b|pls\b|please\b|thanks?\b|thx\b|lol\b)[A-Za-z]/i;

/** Reads a value at p: up to a closing quote when quoted, else up to whitespace, Han text or CJK punctuation. */
function readValue(text: string, p: number, quote: string): [number, number] | null {
  const limit = Math.min(text.length, p + 65);
  let e = p;
  if (quote) {
    const close = quote === '“' ? '”' : quote === '‘' ? '’' : quote;
    while (e < limit && text[e] !== close && text[e] !== '\n') e++;
    if (e >= limit || text[e] !== close) return null;
    return e > p ? [p, e] : null;
  }
  while (e < limit) {
    const c = text.charCodeAt(e);
    if (c <= 32 || isHan(c) || (c >= 0x3000 && c <= 0x303f)) break;
    e++;
  }
  if (e === limit && e < text.length && !isValueEnd(text.charCodeAt(e))) return null; // longer than a password
  // Sentence punctuation after the value is not part of it; "!" is kept, passwords end with it too often.
  while (e > p && /[.,;:?)\]}>'"”’]/.test(text[e - 1] ?? '')) e--;
  return e > p ? [p, e] : null;
}
const isValueEnd = (c: number): boolean => c <= 32 || isHan(c) || (c >= 0x3000 && c <= 0x303f);

/** Digits, symbols or an inner capital: something a dictionary word does not have. */
const looksLikeSecret = (v: string): boolean => /\d|[^\w\s]|^.+[A-Z]/.test(v);

export const detectPasswords: Detector = (text) => {
  const out: Candidate[] = [];
  for (let m = firstMatch(PASSWORD_LABEL, text); m; m = PASSWORD_LABEL.exec(text)) {
    PASSWORD_LINK.lastIndex = m.index + m[0].length;
    const link = PASSWORD_LINK.exec(text);
    if (!link) continue;
    const quote = link[3] ?? '';
    const span = readValue(text, PASSWORD_LINK.lastIndex, quote);
    if (!span) continue;
    const value = text.slice(span[0], span[1]);
    const lower = value.toLowerCase();
    // Placeholders ("****", "xxxx", "<hidden>") and links are not passwords.
    if (value.length < 4 || /^[^A-Za-z0-9]+$|^[xX*]+$/.test(value) || /^[([<{]/.test(value)) continue;
    if (NOT_A_VALUE.has(lower) || /^https?:/.test(lower)) continue;
    const connector = (link[1] ?? link[2] ?? '').trim();
    const strong = STRONG_LINK.test(connector) || quote !== '';
    if (!strong && !looksLikeSecret(value)) {
      // A plain word after "is"/"to" is a password only when the sentence stops there ("… is sunshine.").
      if (connector === '' || /(?:ing|ed|ly)$/.test(lower) || SENTENCE_GOES_ON.test(text.slice(span[1], span[1] + 12))) {
        continue;
      }
    }
    // No connector at all ("password Hunter2024", "密码abc123"): only values that cannot be ordinary words.
    if (connector === '' && !strong) {
      const chineseLabel = isHan(m[0].charCodeAt(m[0].length - 1));
      if (!(chineseLabel || (/\d/.test(value) && /[A-Za-z]/.test(value))) || value.length < 6) continue;
    }
    out.push(candidate('password', span[0], span[1], true));
    PASSWORD_LABEL.lastIndex = Math.max(PASSWORD_LABEL.lastIndex, span[1]);
  }
  return out;
};

// --- one-time codes ------------------------------------------------------------------------------------------

// Labels that name a one-time code by themselves ("OTP 123456", "验证码 482913"), or a bare "code".
const OTP_LABEL =
  withTraditional(
  /(?<![A-Za-z0-9])(?:(?:2fa|mfa|otp|totp|2[\s-]*step|two[\s-]*(?:factor|step)|one[\s-]*time|authenticator)(?:[\s-]*(?:code|pin|token|pass(?:code|word)?|number))?|(?:verification|verify|authentication|auth|google(?:[\s-]*auth(?:enticator)?)?|sms|text|login|sign[\s-]*in|confirmation|email|security|access|withdrawal|withdraw)[\s-]*(?:code|pin|passcode|token)|code)(?![A-Za-z])|验证码|校验码|动态码|动态密码|动态口令|短信码|确认码|安全码|谷歌(?:验证(?:器|码)?|码)|身份验证器|(?:二次|双重|两步|二步)验证码?/gi,
);
const OTP_LINK =
  withTraditional(
  /(?:[ \t]{1,3}(?:from|in|on|for|of)[ \t]{1,3}(?:(?:my|the|your)[ \t]{1,3})?[\w-]{1,20}(?:[ \t]{1,3}[\w-]{1,20})?|[ \t]{1,3}(?:(?:that|which)[ \t]{1,3})?(?:i|you|they|we)[ \t]{1,3}(?:just[ \t]{1,3})?(?:got|received|get|sent|send)(?:[ \t]{1,3}me)?|[ \t]{1,3}(?:(?:that|which)[ \t]{1,3})?[\w-]{1,20}[ \t]{1,3}(?:just[ \t]{1,3})?(?:sent|texted|emailed|gave|gives|sends)(?:[ \t]{1,3}(?:me|us|to[ \t]{1,3}me))?|[ \t]{0,3}(?:发你|发给你|给你|收到了?|刚收到))?((?:[ \t]{0,3}(?:[:=：#]|-(?=[ \t\d])|(?:is|was)(?=[\s"'“:])|是|为)){0,2})[ \t]{0,3},?[ \t]{0,3}\n?[ \t]{0,3}["'“]?(\d{3}[ -]\d{3}|\d(?:[ \t]\d){3,7}(?![ \t]?\d)|\d{4,8})(?![\d%]|[.,:/-]\d)/iy,
);
// The value first: "482913 is my 2FA code", "482913是验证码".
const OTP_BEFORE_LABEL =
  withTraditional(
  /(?<![\w+.-])(\d{4,8})(?:[ \t]{1,3}(?:is|was)[ \t]{1,3}(?:(?:my|the|your)[ \t]{1,3})?(?:2fa|otp|verification|sms|authenticator|google|login|one[\s-]*time)(?:[\s-]*code)?(?![A-Za-z])|[ \t]{0,2}(?:是|为)?(?:我的|我收到的)?(?:验证码|短信码|动态码|校验码))/gi,
);
// A bare "code" must not be some other kind of code.
const OTHER_CODE =
  /(?<![A-Za-z])(?:error|err|promo(?:tion(?:al)?)?|referral|refer|invite|invitation|coupon|discount|voucher|gift|bonus|reward|order|tracking|reference|ref|country|zip|postal|post|area|status|source|qr|bar|product|item|sku|tax|swift|bic|bank|branch|sort|routing|dial|exit|response|http|reason|fault|hs|colou?r|activation|redeem|redemption|return|invoice|region|currency|network|chain|ticket|case|lock|door|secret|pin|booking|postcode|event|app|source|zip)[\s_-]*$/i;

// Every label above holds one of these: a fast literal search rules most texts out before the labels run.
const OTP_ANCHOR = /2fa|mfa|otp|2[\s-]*step|two[\s-]*(?:factor|step)|one[\s-]*time|auth|code|pin|token|verif|sms|google|login|[码碼]|口令|谷歌|器/i;

export const detectOtps: Detector = (text) => {
  const out: Candidate[] = [];
  if (!OTP_ANCHOR.test(text)) return out;
  for (let m = firstMatch(OTP_LABEL, text); m; m = OTP_LABEL.exec(text)) {
    OTP_LINK.lastIndex = m.index + m[0].length;
    const link = OTP_LINK.exec(text);
    if (!link) continue;
    const digits = link[2] ?? '';
    if (m[0].toLowerCase() === 'code') {
      // A bare "code" needs "is"/":" before its value, or exactly six digits (the universal OTP length).
      const connected = (link[1] ?? '').trim() !== '';
      const count = digits.replace(/\D/g, '').length;
      if (count < 6 || (!connected && count !== 6)) continue;
      if (OTHER_CODE.test(text.slice(Math.max(0, m.index - 20), m.index))) continue;
    }
    const end = OTP_LINK.lastIndex;
    const start = end - digits.length;
    if (codeAt(text, start - 1) === 43) continue; // "+123456…" is a phone number
    out.push(candidate('otp', start, end, true));
    OTP_LABEL.lastIndex = Math.max(OTP_LABEL.lastIndex, end);
  }
  for (let m = firstMatch(OTP_BEFORE_LABEL, text); m; m = OTP_BEFORE_LABEL.exec(text)) {
    const value = m[1] ?? '';
    out.push(candidate('otp', m.index, m.index + value.length, true));
  }
  return out;
};
