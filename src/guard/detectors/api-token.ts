// API tokens: provider formats that identify themselves (Discord and Telegram bot tokens, GitHub, Slack, AWS,
// Stripe, OpenAI-style, Google keys, JWTs), plus any long mixed value introduced by an "api key", "secret",
// "token" or "API密钥" label.
import { candidate, firstMatch, type Candidate, type Detector, withTraditional } from './util.ts';

interface TokenShape {
  re: RegExp;
  /**
   * A string every match contains: the shape's regex only runs on texts that hold it. A literal search is several
   * times faster than a regex scan, and most messages hold none of these prefixes (see RARE_HINTS).
   */
  hint: string;
  /** Extra verification beyond the shape. */
  verify?: (token: string) => boolean;
}

/** A Discord token's first part is the base64 of the bot's numeric user id (a snowflake). */
function discordIdPart(token: string): boolean {
  const first = token.slice(0, token.indexOf('.'));
  const decoded = Buffer.from(first.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  return /^\d{17,20}$/.test(decoded);
}

const SHAPES: TokenShape[] = [
  { re: /(?<![\w-])[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,40}(?![\w-])/g, hint: '.', verify: discordIdPart },
  { re: /(?<![\w:])\d{8,10}:[A-Za-z\d_-]{35}(?![\w-])/g, hint: ':' },
  { re: /(?<!\w)(?:gh[pousr]_[A-Za-z\d]{36}|github_pat_[A-Za-z\d_]{82})(?!\w)/g, hint: '_' },
  { re: /(?<![\w-])xox[abposr]-[A-Za-z\d-]{10,250}/g, hint: 'xox' },
  { re: /(?<![A-Za-z\d])(?:AKIA|ASIA)[A-Z\d]{16}(?![A-Za-z\d])/g, hint: 'IA' }, // both prefixes end in "IA"
  { re: /(?<!\w)[sr]k_(?:live|test)_[A-Za-z\d]{16,247}(?!\w)/g, hint: 'k_' },
  { re: /(?<![\w-])sk-(?:proj-|ant-(?:api\d\d-)?|svcacct-|admin-)?[A-Za-z\d_-]{20,250}(?![\w-])/g, hint: 'sk-', verify: (t) => /\d/.test(t) },
  { re: /(?<![\w-])AIza[A-Za-z\d_-]{35}(?![\w-])/g, hint: 'AIza' },
  { re: /(?<![\w-])eyJ[A-Za-z\d_-]{8,2000}\.eyJ[A-Za-z\d_-]{8,4000}\.[A-Za-z\d_-]{8,1000}(?![\w-])/g, hint: 'eyJ' },
];

/**
 * The hints longer than one character, in one regex: most texts hold none of them, and one scan for all of them
 * costs less than a string search for each. The one-character hints ('.', ':', '_') are common and usually found
 * early: those are searched for one by one.
 */
const RARE_HINTS = new RegExp(SHAPES.filter((s) => s.hint.length > 1).map((s) => s.hint).join('|'));

const LABELLED =
  withTraditional(
  /(?:(?<![A-Za-z])(?:api[\s_-]*(?:key|secret|token)|apikey|secret[\s_-]*key|client[\s_-]*secret|access[\s_-]*(?:key|token)|auth[\s_-]*token|bot[\s_-]*token|bearer|token|secret)(?![A-Za-z])|API\s*密钥|API\s*Key|密钥|秘钥|令牌)(?:[ \t]{0,3}(?:[:=：]|is|是|为)){0,2}[ \t]{0,3}["'“]?([A-Za-z\d_\-./+=]{16,256})(?![A-Za-z\d_\-./+=])/gi,
);

/** Every label of LABELLED holds one of these: a much cheaper search rules most texts out before it runs. */
const LABEL_ANCHOR = /key|secret|token|bearer|[密秘][钥鑰]|令牌/i;

/** A labelled value must look machine-generated: letters and digits mixed, and not a wallet address. */
function looksGenerated(v: string): boolean {
  if (!/\d.*\d/.test(v) || !/[A-Za-z].*[A-Za-z]/.test(v)) return false;
  if (/^0x[0-9a-fA-F]{40}$/.test(v) || /^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(v) || /^(?:bc1|tb1)[a-z0-9]{20,}$/.test(v)) {
    return false;
  }
  return !/^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(v) && !/^https?:/i.test(v);
}

export const detectApiTokens: Detector = (text) => {
  const out: Candidate[] = [];
  const rare = RARE_HINTS.test(text);
  for (const { re, hint, verify } of SHAPES) {
    if ((hint.length > 1 && !rare) || !text.includes(hint)) continue;
    for (let m = firstMatch(re, text); m; m = re.exec(text)) {
      if (!verify || verify(m[0])) out.push(candidate('api_token', m.index, m.index + m[0].length, true));
    }
  }
  if (!LABEL_ANCHOR.test(text)) return out;
  for (let m = firstMatch(LABELLED, text); m; m = LABELLED.exec(text)) {
    const value = m[1] ?? '';
    const end = m.index + m[0].length;
    if (looksGenerated(value)) out.push(candidate('api_token', end - value.length, end, true));
  }
  return out;
};
