// What the simulated customers say: the everyday troubles of a wallet's users, in Chinese and English.
// Secrets that appear here are generated at run time and valid only in form (a fresh random recovery phrase, a
// Luhn-valid test card): the guard has something real to catch, and nothing real is ever committed.
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as chinese } from '@scure/bip39/wordlists/simplified-chinese.js';

export interface DemoCustomer {
  id: number;
  first_name: string;
  username?: string;
  language_code: 'zh-hans' | 'en';
}

export const CUSTOMERS: DemoCustomer[] = [
  { id: 700001, first_name: '王磊', username: 'wanglei_88', language_code: 'zh-hans' },
  { id: 700002, first_name: '李娜', language_code: 'zh-hans' },
  { id: 700003, first_name: '陈晓明', username: 'xm_chen', language_code: 'zh-hans' },
  { id: 700004, first_name: 'Alice', username: 'alice_w', language_code: 'en' },
  { id: 700005, first_name: 'Ben', username: 'benny_crypto', language_code: 'en' },
  { id: 700006, first_name: 'Carla', username: 'carla_m', language_code: 'en' },
  { id: 700007, first_name: '张伟', username: 'zw2024', language_code: 'zh-hans' },
  { id: 700008, first_name: 'Daniel', language_code: 'en' },
];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

function luhnCard(prefix = '4'): string {
  const body = prefix + digits(15 - prefix.length);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  const card = body + ((10 - (sum % 10)) % 10);
  return card.replace(/(\d{4})(?=\d)/g, '$1 ');
}

const txHash = () => Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

/** A conversation: the customer's messages in order. `{bot}` becomes the bot's @handle in groups. */
export type Script = (lang: 'zh' | 'en') => string[];

export const ORDINARY: Script[] = [
  (l) =>
    l === 'zh'
      ? ['你好，我昨天充值了500 USDT，到现在还没到账', `交易哈希是 ${txHash()}，麻烦帮我查一下`]
      : ['Hi, I topped up 500 USDT yesterday and it still has not arrived', `The tx hash is 0x${txHash()}, can you check?`],
  (l) => (l === 'zh' ? ['我忘记登录密码了，怎么重置？', '收不到验证码短信'] : ['I forgot my password, how do I reset it?', 'The verification code never arrives']),
  (l) =>
    l === 'zh'
      ? ['我的账户好像被盗了！有人在凌晨转走了我的ETH', '请马上帮我冻结账户']
      : ['I think my account was stolen! Someone moved my ETH out at 3am', 'Please freeze my account right now'],
  (l) => (l === 'zh' ? ['提现一直显示处理中，已经两天了', '订单号 WD20261124-8841'] : ['My withdrawal has been "processing" for two days', 'Order number WD20261124-8841']),
  (l) => (l === 'zh' ? ['安全问题的答案我记不清了，还能找回账户吗？'] : ['I do not remember the answers to my security questions. Can I still recover my account?']),
  (l) => (l === 'zh' ? ['银行卡充值失败，提示"发卡行拒绝"'] : ['Card top-up failed with "declined by issuer"']),
  (l) => (l === 'zh' ? ['怎么开启两步验证？'] : ['How do I turn on two-factor authentication?']),
];

export const LEAKS: Script[] = [
  (l) => {
    const phrase = generateMnemonic(l === 'zh' ? chinese : english);
    return l === 'zh' ? ['钱包打不开了，这是我的助记词，帮我看看：', phrase] : [`My wallet will not open, here is my recovery phrase: ${phrase}`];
  },
  (l) => (l === 'zh' ? [`充值一直失败，卡号 ${luhnCard('6')}，怎么回事？`] : [`Card payment keeps failing, my card is ${luhnCard()} what is wrong?`]),
  (l) => (l === 'zh' ? [`登录不了，我的密码是 Qw${digits(6)}!x，是不是被锁了`] : [`Can't log in. My password is Sunny${digits(4)}! is my account locked?`]),
  (l) => (l === 'zh' ? [`验证码 ${digits(6)} 输进去说无效`] : [`The 2FA code ${digits(6)} says invalid`]),
];
