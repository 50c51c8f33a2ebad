// Triage: which of the support FAQ's categories a customer's message belongs to, and how pressing it is. Keyword
// rules in English and simplified Chinese (Chinese needs no word breaks: the rules match substrings). They run
// on the masked text, so a placeholder such as "[seed_phrase removed]" counts as what it stands for.
//
// Priority: a possible theft, or a public leak the guard found, is urgent; a failed payment is high; the rest
// is normal. Agents can set anything by hand; automatic triage only ever raises (see the pipeline's use).
import type { Intent, Priority } from '../api/contract.ts';

interface Rule {
  intent: Exclude<Intent, 'other'>;
  /** Tested against the lowercased text. */
  patterns: RegExp[];
}

/** Most serious first: the first rule that matches decides. */
const RULES: Rule[] = [
  {
    intent: 'account_compromised',
    patterns: [
      /\b(?:stolen|stole|steal|hack(?:ed|er)?|compromised|drained|emptied|unauthori[sz]ed|scam(?:med)?|phish(?:ed|ing)?)\b/,
      /\b(?:someone|somebody)\b.{0,40}\b(?:logged in|took|transferred|withdrew|sent|moved|accessed)\b/,
      /\b(?:lost|missing)\b.{0,30}\b(?:funds|money|coins|tokens|crypto|usdt|btc|eth)\b/,
      /\bfunds\b.{0,20}\b(?:gone|disappeared|missing)\b/,
      /\[(?:seed_phrase|private_key) removed\]/,
      /被盗|盗号|被黑|黑客|被入侵|被转走|被转出|被骗|诈骗|钓鱼|资产不见|币不见|钱不见|余额清零|未经授权|不是我(?:本人)?(?:操作|转)|异地登录|陌生(?:设备|登录)/,
    ],
  },
  {
    intent: 'payment_failed',
    patterns: [
      /\b(?:top[- ]?up|deposit|recharge|payment|paid|pay|transfer|withdrawal|refund|charged)\b.{0,60}\b(?:fail(?:ed|s|ing)?|not (?:credited|received|arrived|showing|reflected)|missing|pending|stuck|declined|never (?:arrived|came))\b/,
      /\b(?:not|never|hasn't|has not|didn't|did not)\b.{0,20}\b(?:credited|arrived|received)\b/,
      /\bcharged twice\b|\bdouble charged\b/,
      /充值|到账|支付失败|付款失败|扣款|扣了钱|转账失败|提现|退款|没收到钱|未到账/,
    ],
  },
  {
    intent: 'forgot_password',
    patterns: [
      /\b(?:forgot|forgotten|forget|reset|recover|lost|can't remember|cannot remember)\b.{0,30}\b(?:password|passcode|pin|login)\b/,
      /\b(?:password|passcode)\b.{0,30}\b(?:reset|forgot|forgotten|doesn't work|does not work|wrong|not working)\b/,
      /\b(?:locked out|can't log ?in|cannot log ?in|can't sign ?in|cannot sign ?in)\b/,
      /忘记密码|忘了密码|密码忘|重置密码|找回密码|登录不了|无法登录|登不上|密码错误/,
    ],
  },
  {
    intent: 'security_question',
    patterns: [
      /\b(?:2fa|two[- ]factor|authenticator|security|secure|safe|recovery phrase|seed phrase|private key|verify|verification|official|legit|fake|impersonat\w*)\b/,
      /\[(?:password|otp|payment_card|bank_account|national_id|api_token) removed\]/,
      /双重验证|二次验证|两步验证|谷歌验证|安全|助记词|私钥|官方|真假|冒充|骗子|认证/,
    ],
  },
];

/** The FAQ category of one message's (masked) text; `other` when no rule fits. */
export function classifyIntent(text: string): Intent {
  const lower = text.toLowerCase();
  for (const rule of RULES) if (rule.patterns.some((p) => p.test(lower))) return rule.intent;
  return 'other';
}

/**
 * How pressing a message is: `urgent` for a possible theft or a public leak (`publicLeak`: the guard found data
 * it acts on in a public conversation), `high` for a failed payment, else `normal`.
 */
export function priorityFor(intent: Intent, publicLeak: boolean): Priority {
  if (publicLeak || intent === 'account_compromised') return 'urgent';
  if (intent === 'payment_failed') return 'high';
  return 'normal';
}
