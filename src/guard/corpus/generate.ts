// Builds the labelled evaluation corpus (messages.jsonl) from templates and fake-but-valid values.
// Deterministic: the same seed always writes the same file, so the committed corpus can be regenerated and
// diffed. Run: npx tsx src/guard/corpus/generate.ts
//
// Every sensitive value a template inserts is labelled with its exact span; hard negatives contain none.
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { validateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as chinese } from '@scure/bip39/wordlists/simplified-chinese.js';
import type { Finding, FindingType } from '../../domain/types.ts';
import {
  ALNUM,
  apiToken,
  btcAddress,
  cardNumber,
  chineseBankCard,
  chineseId,
  chineseMobile,
  discordBotToken,
  email,
  ethAddress,
  foreignPhone,
  formatChinese,
  formatEnglish,
  fullWidth,
  hex,
  iban,
  invalidChineseId,
  electrumSeed,
  keystoreJson,
  misspell,
  mnemonicWords,
  moneroSeed,
  notAPhrase,
  phraseIn,
  solanaKeypairJson,
  solanaSignature,
  taiwanId,
  type Bip39Lang,
  otp,
  password,
  pemKey,
  Rng,
  solanaAddress,
  solanaSecret,
  ssn,
  telegramBotToken,
  tronAddress,
  wif,
  xprv,
  xpub,
  type SeedFormat,
  type ZhSeedFormat,
} from './values.ts';
import { luhnValid } from '../detectors/util.ts';
import { MONERO_ENGLISH } from '../wordlists/index.ts';

export interface CorpusMessage {
  id: string;
  text: string;
  labels: Finding[];
  /** The set of labelled types, for message-level scoring. */
  types: FindingType[];
}

interface Secret {
  type: FindingType;
  value: string;
}
type Part = string | Secret;
type Template = (r: Rng) => Part[];

const S = (type: FindingType, value: string): Secret => ({ type, value });

/** Tagged template: literal text interleaved with strings and labelled secrets. */
function m(strings: TemplateStringsArray, ...values: (Part | number)[]): Part[] {
  const parts: Part[] = [];
  strings.forEach((s, i) => {
    parts.push(s);
    const v = values[i];
    if (v !== undefined) parts.push(typeof v === 'number' ? String(v) : v);
  });
  return parts;
}

function assemble(parts: Part[]): { text: string; labels: Finding[] } {
  let text = '';
  const labels: Finding[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
    } else {
      labels.push({ type: part.type, start: text.length, end: text.length + part.value.length });
      text += part.value;
    }
  }
  return { text, labels };
}

// --- secrets ---------------------------------------------------------------------------------------------------

const EN_FORMATS: SeedFormat[] = ['space', 'space', 'space', 'comma', 'newline', 'numbered', 'numbered-paren', 'dash', 'title', 'upper'];
const seedEn = (r: Rng, words?: number, format?: SeedFormat): Secret =>
  S('seed_phrase', formatEnglish(mnemonicWords(r, words ?? r.pick([12, 12, 12, 24, 24, 15, 18, 21]), 'en'), format ?? r.pick(EN_FORMATS)));
const seedZh = (r: Rng, format: ZhSeedFormat, words = 12): Secret =>
  S('seed_phrase', formatChinese(mnemonicWords(r, words, 'zh'), format));
/** A framed phrase with one word misspelt. */
function typoSeedEn(r: Rng): Secret {
  const words = mnemonicWords(r, r.pick([12, 24]), 'en');
  const i = r.int(0, words.length - 1);
  words[i] = misspell(r, words[i] ?? '');
  return S('seed_phrase', formatEnglish(words, r.pick(['space', 'comma'] as const)));
}
const NOT_IN_ZH_LIST = [...'鑫琪瑶婷琳璐韬贇琦'].filter((c) => !chinese.includes(c));
function typoSeedZh(r: Rng): Secret {
  const chars = mnemonicWords(r, 12, 'zh');
  chars[r.int(1, 10)] = r.pick(NOT_IN_ZH_LIST);
  return S('seed_phrase', formatChinese(chars, r.pick(['space', 'dense'] as const)));
}
const elevenWords = (r: Rng): Secret => S('seed_phrase', mnemonicWords(r, 12, 'en').slice(0, 11).join(' '));

const hexKey = (r: Rng): Secret => {
  const h = hex(r, 64);
  return S('private_key', r.chance(0.25) ? '0x' + h : r.chance(0.2) ? h.toUpperCase() : h);
};
const key = (type: FindingType, value: string): Secret => S(type, value);
const pw = (r: Rng): Secret => S('password', password(r));
const code = (r: Rng): Secret => S('otp', otp(r));
const code6 = (r: Rng): Secret => S('otp', r.digits(6));
const card = (r: Rng): Secret => S('payment_card', cardNumber(r));
const cvv = (r: Rng): Secret => S('payment_card', r.digits(3));
const bankCard = (r: Rng): Secret => S('bank_account', chineseBankCard(r));
const ibanS = (r: Rng): Secret => S('bank_account', iban(r));
const cnId = (r: Rng): Secret => S('national_id', chineseId(r));
const ssnS = (r: Rng): Secret => S('national_id', ssn(r));
const mobile = (r: Rng): Secret => S('phone', chineseMobile(r));
const phone = (r: Rng): Secret => S('phone', foreignPhone(r));
const mail = (r: Rng): Secret => S('email', email(r));
const token = (r: Rng): Secret => S('api_token', apiToken(r));
const fw = (s: Secret): Secret => S(s.type, fullWidth(s.value));
function jwt(r: Rng): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: r.digits(8), iat: 1710000000 + r.int(0, 9999999) })}.${r.chars(43, ALNUM + '-_')}`;
}
function luhnNumber(r: Rng, prefix: string, length: number): string {
  const body = prefix + r.digits(length - prefix.length - 1);
  for (let d = 0; d < 10; d++) if (luhnValid(body + d)) return body + d;
  return body + '0';
}

// --- positive templates ----------------------------------------------------------------------------------------

const POSITIVE: Template[] = [
  // seed phrases, English
  (r) => m`my seed phrase is ${seedEn(r)}`,
  (r) => m`Here are my 12 words: ${seedEn(r, 12, 'comma')} why is my balance 0??`,
  (r) => m`${seedEn(r, 12, 'space')}\n\nthat's my recovery phrase, can you check if it's valid`,
  (r) => m`I imported ${seedEn(r, 12, 'space')} and the app shows an empty wallet`,
  (r) => m`restore keeps failing with these:\n${seedEn(r, r.pick([12, 24]), 'numbered')}`,
  (r) => m`Secret Recovery Phrase: ${seedEn(r, 12, 'space')}`,
  (r) => m`mnemonic -> ${seedEn(r)}`,
  (r) => m`backup phrase\n${seedEn(r, 24, 'newline')}\nplease restore my account`,
  (r) => m`pls help!!! wallet words ${seedEn(r, 12, 'title')}`,
  (r) => m`SEED: ${seedEn(r, 12, 'upper')}`,
  (r) => m`my recovery words are (one might be misspelled) ${typoSeedEn(r)}`,
  (r) => m`hey, I think my 24 words got hacked: ${seedEn(r, 24, 'space')} — can you trace where the funds went?`,
  (r) => m`"${seedEn(r, 12, 'space')}" is what I wrote down when I created the wallet`,
  (r) => m`The phrase is ${seedEn(r, r.pick([15, 18, 21]), 'space')} thanks`,
  (r) => m`i typed ${seedEn(r, 12, 'dash')} but it says invalid mnemonic`,
  (r) => m`I lost one word of my seed phrase, here are the 11 I have: ${elevenWords(r)}`,
  (r) => m`客服你好 my seed phrase: ${seedEn(r)}`,
  (r) => m`助记词：${seedEn(r, 12, 'space')}`,
  (r) => m`我的钱包助记词是 ${seedEn(r)} 为什么导入后余额是0`,
  (r) => m`Trust wallet says "invalid phrase" when I enter my backup phrase ${typoSeedEn(r)} what am I doing wrong 😩`,
  (r) => m`🙏🙏 ${seedEn(r, 12, 'space')} 🙏🙏`,
  // seed phrases, Chinese
  (r) => m`我的助记词是：${seedZh(r, 'dense')}`,
  (r) => m`助记词 ${seedZh(r, 'space')}`,
  (r) => m`这是我的助记词${seedZh(r, 'dense')}，帮我看看为什么导入不了`,
  (r) => m`${seedZh(r, 'numbered')}\n以上是我的助记词`,
  (r) => m`助记词如下：\n${seedZh(r, 'groups')}`,
  (r) => m`请帮我恢复钱包 ${seedZh(r, 'space')}`,
  (r) => m`恢复短语：${seedZh(r, 'comma')}`,
  (r) => m`老师好，钱包助记词 ${seedZh(r, 'dense', 24)} 转账显示失败`,
  (r) => m`助记词（有一个字可能写错了）：${typoSeedZh(r)}`,
  (r) => m`${seedZh(r, 'dense', r.pick([15, 18, 24]))}\n这是我的恢复词，钱包打不开了`,
  (r) => m`我的助记词${seedZh(r, 'dense')}，私钥和密码都没有给过别人`,
  (r) => m`请帮我看看助记词、私钥是不是对的：助记词 ${seedZh(r, 'space')}`,
  // private keys
  (r) => m`my private key is ${hexKey(r)}`,
  (r) => m`私钥：${hexKey(r)}`,
  (r) => m`here's the key for my old wallet ${hexKey(r)}, can you recover the funds?`,
  (r) => m`${hexKey(r)}\nthis is my private key, metamask won't import it`,
  (r) => m`exported WIF: ${key('private_key', wif(r, r.chance(0.5)))}`,
  (r) => m`${key('private_key', wif(r, true))} is this a private key? found it in an old backup`,
  (r) => m`my xprv is ${key('private_key', xprv(r))}`,
  (r) => m`here is the key file content:\n${key('private_key', pemKey(r, r.pick(['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY'] as const)))}`,
  (r) => m`node login key\n${key('private_key', pemKey(r, 'OPENSSH PRIVATE KEY'))}\nwhy can't I ssh in`,
  (r) => m`phantom private key: ${key('private_key', solanaSecret(r))}`,
  (r) => m`密钥是 ${hexKey(r)}`,
  (r) => m`PRIVKEY=${hexKey(r)}`,
  (r) => m`导出的私钥 ${hexKey(r)} 导入 MetaMask 报错`,
  (r) => m`tx 0x${hex(r, 64)} failed, so here is my private key ${hexKey(r)} please check`,
  (r) => m`secret key ->\n${hexKey(r)}`,
  (r) => m`私钥　${fw(hexKey(r))}`,
  // passwords
  (r) => m`my password is ${pw(r)}`,
  (r) => m`password: ${pw(r)}`,
  (r) => m`pw: ${pw(r)} pls log in and check`,
  (r) => m`pwd=${pw(r)}`,
  (r) => m`密码是${pw(r)}`,
  (r) => m`密码：${pw(r)}，账户登不上`,
  (r) => m`登录密码 ${pw(r)}`,
  (r) => m`支付密码：${S('password', r.digits(6))}`,
  (r) => m`login: ${mail(r)} / password: ${pw(r)}`,
  (r) => m`The password for my exchange account is ${pw(r)}`,
  (r) => m`I changed my password to ${pw(r)} yesterday and now I'm locked out`,
  (r) => m`my pass is "${pw(r)}"`,
  (r) => m`PIN: ${S('password', r.digits(6))}`,
  (r) => m`邮箱 ${mail(r)} 密码 ${pw(r)}`,
  (r) => m`密码：${fw(pw(r))}`,
  (r) => m`password = '${pw(r)}'`,
  (r) => m`账号${mobile(r)}，密码${pw(r)}`,
  (r) => m`hi, my wallet pwd is ${pw(r)} and it doesn't unlock anymore`,
  // one-time codes
  (r) => m`验证码 ${code(r)}`,
  (r) => m`验证码是${code(r)}`,
  (r) => m`验证码：${fw(code(r))}`,
  (r) => m`短信验证码${code6(r)}，帮我登录一下`,
  (r) => m`2FA code ${code(r)}`,
  (r) => m`my 2fa code is ${code(r)} can u log in`,
  (r) => m`OTP: ${code(r)}`,
  (r) => m`the code is ${code6(r)}`,
  (r) => m`Google Authenticator code: ${code(r)}`,
  (r) => m`here is the verification code ${code(r)} please finish my withdrawal`,
  (r) => m`谷歌验证码 ${code6(r)}`,
  (r) => m`邮箱验证码为 ${code6(r)}`,
  (r) => m`got the sms code ${code6(r)}, what now?`,
  (r) => m`code: ${code6(r)}`,
  (r) => m`动态密码 ${code6(r)} 快点帮我处理`,
  // payment cards
  (r) => m`card number ${card(r)} exp 09/27`,
  (r) => m`my visa ${card(r)} was charged twice`,
  (r) => m`信用卡 ${card(r)} 被盗刷了`,
  (r) => m`${card(r)}`,
  (r) => m`paid with ${card(r)}, cvv ${cvv(r)}`,
  (r) => m`Card: ${card(r)} CVC: ${cvv(r)}`,
  (r) => m`I bought USDT with card ${card(r)} but never received it`,
  (r) => m`信用卡卡号：${fw(card(r))}`,
  (r) => m`charged on ${card(r)} twice, refund pls`,
  // bank accounts
  (r) => m`我的银行卡号是${bankCard(r)}`,
  (r) => m`银行卡：${bankCard(r)}`,
  (r) => m`收款账号 ${bankCard(r)} 户名 王芳`,
  (r) => m`bank account number: ${bankCard(r)}`,
  (r) => m`please refund to my bank card ${bankCard(r)}`,
  (r) => m`IBAN: ${ibanS(r)}`,
  (r) => m`my IBAN is ${ibanS(r)}, please send the refund there`,
  (r) => m`refund to ${ibanS(r)} thx`,
  (r) => m`储蓄卡 ${bankCard(r)}，提现到这张卡`,
  // national ids
  (r) => m`身份证号 ${cnId(r)}`,
  (r) => m`身份证：${cnId(r)}`,
  (r) => m`my ID number is ${cnId(r)}`,
  (r) => m`KYC 卡住了，身份证号码${cnId(r)}`,
  (r) => m`${cnId(r)} 张伟 实名认证一直不通过`,
  (r) => m`SSN ${ssnS(r)}`,
  (r) => m`my social security number is ${ssnS(r)}, do you need anything else?`,
  (r) => m`证件号：${fw(cnId(r))}`,
  // phones
  (r) => m`手机号 ${mobile(r)}`,
  (r) => m`电话：${mobile(r)}`,
  (r) => m`call me at ${phone(r)}`,
  (r) => m`my number is ${phone(r)}, whatsapp works too`,
  (r) => m`${mobile(r)} 这个号码收不到验证码`,
  (r) => m`联系我 ${mobile(r)}`,
  (r) => m`手机：${fw(mobile(r))}`,
  (r) => m`text me on ${phone(r)} please`,
  // emails
  (r) => m`my email is ${mail(r)}`,
  (r) => m`邮箱：${mail(r)}`,
  (r) => m`registered with ${mail(r)} but never got the confirmation`,
  (r) => m`${mail(r)} 这个邮箱收不到邮件`,
  (r) => m`contact me: ${mail(r)} or ${mobile(r)}`,
  (r) => m`😀 reach me at ${mail(r)} 😀`,
  // api tokens
  (r) => m`here is my bot token ${S('api_token', telegramBotToken(r))}`,
  (r) => m`discord bot token: ${S('api_token', discordBotToken(r))}`,
  (r) => m`accidentally pushed ${token(r)} to github, is my account safe?`,
  (r) => m`API key: ${S('api_token', r.chars(32, ALNUM))}`,
  (r) => m`API密钥：${S('api_token', r.chars(40, ALNUM))}`,
  (r) => m`Authorization: Bearer ${S('api_token', jwt(r))}`,
  (r) => m`my exchange api_secret=${S('api_token', r.chars(48, ALNUM))}`,
  (r) => m`${token(r)}`,
  (r) => m`为什么机器人不回复 token ${S('api_token', telegramBotToken(r))}`,
  // several kinds in one message
  (r) => m`email ${mail(r)} phone ${mobile(r)}`,
  (r) => m`seed: ${seedEn(r, 12, 'space')} and my email ${mail(r)}`,
  (r) => m`账号 ${mail(r)} 密码 ${pw(r)} 验证码 ${code6(r)}`,
  (r) => m`card ${card(r)} and call me back on ${phone(r)}`,
  (r) => m`name: 李娜, 身份证 ${cnId(r)}, 手机 ${mobile(r)}`,
  // more phrasings: abbreviations, other wallets' words, typos in labels, different punctuation
  (r) => m`Recovery words (Trust Wallet): ${seedEn(r, 12, 'space')}`,
  (r) => m`Phrase from my Ledger:\n${S('seed_phrase', mnemonicWords(r, 24, 'en').map((w, i) => `${String(i + 1).padStart(2, '0')}. ${w}`).join('\n'))}`,
  (r) => m`${S('seed_phrase', mnemonicWords(r, 12, 'en').join(' | '))}`,
  (r) => m`I think someone stole my funds. My 12-word phrase: ${seedEn(r, 12, 'space')}`,
  (r) => m`metamask SRP: ${typoSeedEn(r)}`,
  (r) => m`secret phrase -> ${seedEn(r, 12, 'comma')}`,
  (r) => m`words are: ${seedEn(r, 12, 'space')}. does that look right?`,
  (r) => m`种子短语 ${seedZh(r, 'space')}`,
  (r) => m`钱包的12个助记词是：${seedZh(r, 'dense')}`,
  (r) => m`Import phrase ${typoSeedEn(r)} keeps failing`,
  (r) => m`my seed: ${seedEn(r, 12, 'space')}`,
  (r) => m`\u0060\u0060\u0060\n${seedEn(r, 12, 'space')}\n\u0060\u0060\u0060\nthat's what the app showed me when I set it up`,
  (r) => m`Private Key: ${hexKey(r)}`,
  (r) => m`私钥为${hexKey(r)}，帮我查一下余额`,
  (r) => m`pk: ${hexKey(r)}`,
  (r) => m`here u go ${hexKey(r)} (private key of the old account)`,
  (r) => m`TronLink 私钥 ${hexKey(r)}`,
  (r) => m`username: bob${r.int(10, 99)} password: ${pw(r)}`,
  (r) => m`acct ${mail(r)} pw ${S('password', 'Alice' + r.digits(4) + '!')}`,
  (r) => m`my login pass is ${pw(r)}`,
  (r) => m`密码是 ${pw(r)}，账号是 ${mobile(r)}`,
  (r) => m`新密码：${pw(r)}`,
  (r) => m`my pasword is ${pw(r)} sorry for typo`,
  (r) => m`the 6 digit code I got is ${code6(r)}`,
  (r) => m`收到的验证码：${code6(r)}`,
  (r) => m`验证码发你 ${code6(r)}，快点`,
  (r) => m`card no. ${card(r)}`,
  (r) => m`my credit card is ${card(r)} exp 08/26 cvc ${cvv(r)}`,
  (r) => m`收款人：张三 开户行：招商银行 账号：${bankCard(r)}`,
  (r) => m`身份证号码是 ${cnId(r)}`,
  (r) => m`My Chinese ID: ${cnId(r)}`,
  (r) => m`加我微信 ${S('phone', '1' + r.pick(['38', '39', '58', '86']) + r.digits(8))}`,
  (r) => m`my cell: ${S('phone', `${r.int(201, 989)}.${r.int(200, 999)}.${r.digits(4)}`)}`,
  (r) => m`email me (${mail(r)})`,
  (r) => m`OPENAI_API_KEY=${S('api_token', 'sk-proj-' + r.chars(48, ALNUM))}`,
  (r) => m`webhook secret ${S('api_token', 'whsec_' + r.chars(32, ALNUM))}`,
  (r) => m`Authorization: Bot ${S('api_token', discordBotToken(r))}`,
  (r) => m`URGENT my wallet got drained!!! these are my words ${seedEn(r, 12, 'space')} how did they get in??`,
  (r) => m`Hey guys, can someone verify this recovery: ${S('seed_phrase', mnemonicWords(r, 24, 'en').join(','))}`,
  (r) => m`助记词给你们：${S('seed_phrase', mnemonicWords(r, 12, 'zh').join('、'))}，帮我找回资产`,
  (r) => m`Seed (12): ${seedEn(r, 12, 'space')}`,
  (r) => m`私匙 ${hexKey(r)}`,
  (r) => m`this is the private-key of my TRON wallet: ${hexKey(r)}`,
  (r) => m`PASSWORD IS ${pw(r)}`,
  (r) => m`我的交易密码是${S('password', r.digits(6))}`,
  (r) => m`你们发的验证码是 ${code6(r)} 吗`,
  (r) => m`联系方式：${S('phone', '1' + r.pick(['37', '35', '88']) + r.digits(8))}（微信同号）`,
];

// --- hard negatives -------------------------------------------------------------------------------------------

const orderNo = (r: Rng): string => String(r.int(2019, 2025)) + r.digits(r.int(12, 15));
const NEGATIVE: Template[] = [
  // hashes and explorer links
  (r) => m`tx hash ${hex(r, 64)} still pending after 2 hours`,
  (r) => m`交易哈希：0x${hex(r, 64)}，一直没到账`,
  (r) => m`https://etherscan.io/tx/0x${hex(r, 64)}`,
  (r) => m`https://bscscan.com/tx/0x${hex(r, 64)} shows success but nothing in my wallet`,
  (r) => m`txid: ${hex(r, 64)}`,
  (r) => m`Transaction ${hex(r, 64)} failed with out of gas`,
  (r) => m`sha256 of the apk I downloaded: ${hex(r, 64)} is it the official one?`,
  (r) => m`block hash ${hex(r, 64)}`,
  (r) => m`区块浏览器上查到 ${hex(r, 64)} 已经确认了`,
  (r) => m`I sent 0.5 ETH, here is the transaction: 0x${hex(r, 64)}`,
  (r) => m`0x${hex(r, 64)}`,
  (r) => m`${hex(r, 64)}`,
  (r) => m`signature: 0x${hex(r, 130)}`,
  (r) => m`https://tronscan.org/#/transaction/${hex(r, 64)} 显示成功`,
  (r) => m`https://mempool.space/tx/${hex(r, 64)} stuck with low fee`,
  (r) => m`哈希 ${hex(r, 64)} 查不到`,
  (r) => m`the checksum on the release page is ${hex(r, 64)}`,
  // addresses and public material
  (r) => m`my address is ${ethAddress(r)}`,
  (r) => m`收款地址 ${tronAddress(r)}`,
  (r) => m`send it to ${btcAddress(r)} please`,
  (r) => m`Solana address ${solanaAddress(r)}`,
  (r) => m`xpub: ${xpub(r)}`,
  (r) => m`public key 02${hex(r, 64)}`,
  (r) => m`公钥 04${hex(r, 128)}`,
  (r) => m`is this my public key or my address? 0x${hex(r, 64)}`,
  (r) => m`USDT contract 0xdac17f958d2ee523a2206206994597c13d831ec7, is that the right token?`,
  (r) => m`I withdrew to ${tronAddress(r)} (TRC20) but it hasn't arrived`,
  // order numbers, ids, amounts, dates, versions
  (r) => m`订单号 ${orderNo(r)} 还没处理`,
  (r) => m`order #${r.digits(10)} is still processing`,
  (r) => m`Order ID: ${luhnNumber(r, '4', 16)} refund please`,
  (r) => m`my UID is ${r.digits(9)}`,
  (r) => m`UID ${'1' + r.pick(['38', '39', '86']) + r.digits(8)} 的账户被冻结了`,
  (r) => m`提现单号 ${orderNo(r)}`,
  (r) => m`I sent 1,234.56 USDT on 2024-03-15 14:32`,
  (r) => m`余额 0.00342 BTC，昨天还是 0.5`,
  (r) => m`gas limit 21000, gas price 35 gwei, nonce 45`,
  (r) => m`block ${r.int(18000000, 19999999)} confirmed`,
  (r) => m`区块高度 ${r.int(18000000, 19999999)}`,
  (r) => m`app version 3.12.4 (build 20240315)`,
  (r) => m`iOS 17.4.1, 版本号 v2.8.0，一打开就闪退`,
  (r) => m`timestamp ${r.int(1700000000000, 1719999999999)}`,
  (r) => m`转了 ${r.int(12, 19)}000000000 sats 还没到`,
  (r) => m`amount 13800000000 wei`,
  (r) => m`订单 ${luhnNumber(r, '62', 19)} 已付款未到账`,
  (r) => m`流水号 ${invalidChineseId(r)}`,
  (r) => m`物流单号 SF${r.digits(12)}`,
  (r) => m`I bought 0.25 BTC at $67,234.12 on 03/15/2024`,
  (r) => m`APY 12.5%, lock 90 days, min 100 USDT`,
  (r) => m`我在 2024年3月15日 转账了 500 USDT，到现在都没到`,
  (r) => m`withdrawal of 2,500.00 USDC id ${r.digits(8)} failed`,
  (r) => m`充值 ${r.int(100, 99999)} 元 到账 ${r.int(10, 9999)}.${r.digits(2)} USDT`,
  // error codes and codes that are not one-time codes
  (r) => m`error code 1002`,
  (r) => m`错误码 -32000，交易失败`,
  (r) => m`HTTP 429 too many requests when I refresh`,
  (r) => m`code 403 when I open the app`,
  (r) => m`提示错误代码 ${r.int(10000, 99999)}`,
  (r) => m`error code: ${r.digits(6)}`,
  (r) => m`promo code WELCOME2024 doesn't work`,
  (r) => m`invite code: ${r.digits(6)}`,
  (r) => m`邀请码 ${r.digits(6)}`,
  (r) => m`referral code ${r.digits(4)} not applied`,
  (r) => m`邀请码是 ${r.chars(6, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789')}，奖励没发`,
  // talking about passwords
  (r) => m`I forgot my password`,
  (r) => m`reset my password please`,
  (r) => m`密码忘了怎么办`,
  (r) => m`My password is not working since the update`,
  (r) => m`password must be at least 8 characters?`,
  (r) => m`密码至少8位吗`,
  (r) => m`can I change my password to something stronger?`,
  (r) => m`the password field is empty after I paste it`,
  (r) => m`我想修改登录密码`,
  (r) => m`is it safe to save my password in chrome?`,
  (r) => m`my password is correct but login fails`,
  (r) => m`密码错误次数太多被锁了`,
  (r) => m`what are the password requirements?`,
  (r) => m`"passwords don't match" error every time`,
  (r) => m`支付密码是多少位的？`,
  (r) => m`I can't pass the KYC check`,
  // talking about codes
  (r) => m`验证码收不到`,
  (r) => m`code not received`,
  (r) => m`I didn't get the 2FA code`,
  (r) => m`验证码一直发送失败`,
  (r) => m`the verification code expired before I could type it`,
  (r) => m`2FA code is wrong every time`,
  (r) => m`my google authenticator codes don't work after changing phone`,
  (r) => m`验证码60秒后才能重发，太慢了`,
  (r) => m`短信验证码发到旧手机号上了`,
  (r) => m`Enter the 6-digit code — where do I find it?`,
  // talking about seed phrases; prose full of BIP39 words
  (r) => m`Is it safe to store my seed phrase in iCloud?`,
  (r) => m`助记词丢了还能找回吗`,
  (r) => m`客服会问我要助记词吗？`,
  (r) => m`I wrote my 12 words on paper, is that enough?`,
  (r) => m`How many words should a recovery phrase have?`,
  (r) => m`my first words are abandon, ability, able — do I need all of them?`,
  (r) => m`助记词导入后余额为零，请问是什么原因？`,
  (r) => m`Can you help? I have a problem with my account balance, the swap fee was too high and the bridge transfer is still pending.`,
  (r) => m`What about all the tokens I had? They say you can help, so please check what happened to my coin balance.`,
  (r) => m`I want to know why the price of this token dropped, and also when the network fee will go down again.`,
  (r) => m`Good morning team, I have a question about the bridge: can you tell me how long a transfer usually takes?`,
  (r) => m`they say you can make good time if you use the fast lane, but my deposit is still pending after one day`,
  (r) => m`Tokens I hold: bitcoin, ethereum, solana, tron`,
  (r) => m`我的钱包里的币全部被转走了，助记词没有告诉过任何人，怎么办`,
  (r) => m`你好我想问一下为什么我的钱包里面的币不见了是不是被盗了`,
  (r) => m`提现一直显示处理中，已经等了三个小时`,
  (r) => m`请问手续费怎么这么高，转账失败还扣了矿工费`,
  (r) => m`升级新版本之后闪退，打不开应用`,
  (r) => m`导入钱包时提示助记词无效，请问怎么解决`,
  (r) => m`质押收益什么时候发放？年化利率是多少`,
  (r) => m`客服您好，我在交易所买了比特币转到钱包地址，显示未到账`,
  (r) => m`Never share your seed phrase with anyone, right? Someone in the group asked for mine.`,
  (r) => m`Does the wallet support 24 word phrases or only 12?`,
  (r) => m`please help, my balance shows zero after the update, what should I do`,
  (r) => m`扫码支付的时候提示网络异常，换了网络也不行`,
  // contact-like but not contact data
  (r) => m`客服电话是多少？`,
  (r) => m`@support please help`,
  (r) => m`my twitter is @zhang_wei${r.int(1, 99)}`,
  (r) => m`the hotline number on your site doesn't work`,
  // token-like but not tokens
  (r) => m`token: USDT`,
  (r) => m`sk-test doesn't work in the sandbox`,
  (r) => m`the API returns 401 unauthorized`,
  (r) => m`my API key was rejected, how do I create a new one?`,
  (r) => m`which token standard, ERC20 or TRC20?`,
  (r) => m`secret: I won't tell anyone, promise`,
  // more hard negatives
  (r) => m`Let me know if you need my seed phrase`,
  (r) => m`scammer asked for my 12 words, I didn't give them`,
  (r) => m`txn 0x${hex(r, 64)} pending, nonce ${r.int(1, 300)}`,
  (r) => m`Hash: ${hex(r, 64)}`,
  (r) => m`I paid invoice INV-2024-${r.digits(6)}`,
  (r) => m`tracking number 9400 1000 0000 0000 ${r.digits(4)} ${r.digits(2)}`,
  (r) => m`My order ${r.digits(4)}-${r.digits(4)}-${r.digits(4)}-${r.digits(4)} hasn't shipped`,
  (r) => m`我的UID是 ${r.digits(8)}`,
  (r) => m`2FA code expired`,
  (r) => m`验证码是多少？`,
  (r) => m`what's the verification code for?`,
  (r) => m`my password manager is 1Password`,
  (r) => m`passport number required for KYC?`,
  (r) => m`I use the same password everywhere, is that bad?`,
  (r) => m`密码长度8-16位，需包含字母和数字`,
  (r) => m`Price hit 69,420.00 USDT today`,
  (r) => m`Block 840000 halving, fees are crazy`,
  (r) => m`我把助记词抄在纸上了，放在保险箱里，应该安全吧`,
  (r) => m`The words "abandon" and "ability" are in the BIP39 list, right?`,
  (r) => m`Please help me: I have this wallet, and after the last update the balance shows zero, although the explorer says the coins are still there.`,
  (r) => m`为什么我的钱包显示余额不足，但是浏览器上看资产都还在，是不是同步出了问题`,
  (r) => m`i want to move all my coins to a new wallet, which one do you recommend?`,
  (r) => m`客服你好，我想问一下怎么开启谷歌验证，还有怎么修改支付密码`,
  (r) => m`Ledger firmware 2.2.3, Bluetooth pairing code keeps failing`,
  (r) => m`gas used 21000 of 21000 (100%), base fee 12.3 gwei`,
  (r) => m`my ENS is alice.eth and my twitter is @alice_eth`,
  (r) => m`签名失败，错误码 4001，用户拒绝了请求`,
  (r) => m`contract 0x${hex(r, 40)} verified on etherscan`,
  (r) => m`我的钱包地址：${tronAddress(r)}，请帮我查询一下`,
  (r) => m`xpub from my ledger: ${xpub(r)} — can you see my balance?`,
  (r) => m`I lost my 12-word phrase, what do I do now?`,
  (r) => m`Where do I find my private key in the app?`,
  (r) => m`the fee was 0.000021 ETH and the tx id is 0x${hex(r, 64)}`,
  (r) => m`Why do you need my password? I will not share it`,
  (r) => m`My phone number changed, how do I update 2FA?`,
  (r) => m`请问身份证过期了还能认证吗`,
  (r) => m`订单号：${orderNo(r)}，金额：500 USDT`,
  (r) => m`version 2.3.4-beta+build.${r.digits(4)}`,
  (r) => m`我的邀请码是 ${r.chars(6, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789')}`,
  (r) => m`Staking reward: 12.345678 SOL on epoch ${r.int(400, 700)}`,
];

// --- issue 9: every wallet's phrase format, damaged phrases, bare keys, more labels and code spellings ------------

const phraseS = (r: Rng, lang: Bip39Lang, words = 12, accents = true, sep = lang === 'ja' ? '\u3000' : ' '): Secret =>
  S('seed_phrase', phraseIn(r, lang, words, accents).join(sep));
/** A framed English phrase with 2-3 words misspelt (never the first or the last, which bound the span). */
function damagedSeed(r: Rng, bad: number, format: 'space' | 'comma' = 'space'): Secret {
  const words = mnemonicWords(r, 12, 'en');
  const spots = new Set<number>();
  while (spots.size < bad) spots.add(r.int(1, 10));
  for (const i of spots) words[i] = misspell(r, words[i] ?? '');
  return S('seed_phrase', formatEnglish(words, format));
}
/** Words cut to their unique 4-letter prefix, as stamped on metal backups. */
const prefixSeed = (r: Rng): Secret => S('seed_phrase', mnemonicWords(r, r.pick([12, 24]), 'en').map((w) => w.slice(0, 4)).join(' '));
const EN_LIST_STYLES: ((w: string, i: number) => string)[] = [
  (w) => `> ${w}`,
  (w) => `- ${w}`,
  (w) => `* ${w}`,
  (w) => `• ${w}`,
  (w, i) => `${i + 1}) ${w}`,
  (w, i) => `(${i + 1}) ${w}`,
  (w, i) => `#${i + 1} ${w}`,
  (w, i) => `${String(i + 1).padStart(2, '0')}. ${w}`,
  (w, i) => `${i + 1}- ${w}`,
  (w, i) => `${String.fromCharCode(0x2460 + i)} ${w}`,
  (w, i) => `> ${i + 1}. ${w}`,
];
/** A phrase one word a line in a list style; the label runs from the first word to the last. */
function listedSeed(r: Rng, damaged = false): [string, Secret, string] {
  const words = mnemonicWords(r, 12, 'en');
  if (damaged) words[r.int(3, 8)] = misspell(r, words[5] ?? 'abandon');
  const style = r.pick(EN_LIST_STYLES);
  const lines = words.map((w, i) => style(w, i));
  const first = lines[0] ?? '';
  const head = first.slice(0, first.length - (words[0] ?? '').length);
  return [head, S('seed_phrase', lines.join('\n').slice(head.length)), ''];
}
const spaced = (digits: string): string => digits.split('').join(' ');

const POSITIVE_ISSUE9: Template[] = [
  // other BIP39 lists, accents typed or not
  (r) => m`mi frase de recuperación: ${phraseS(r, 'es', 12, r.chance(0.5))}`,
  (r) => m`Hola, no puedo entrar a mi billetera, mi frase semilla es ${phraseS(r, 'es', r.pick([12, 24]))}`,
  (r) => m`ma phrase de récupération : ${phraseS(r, 'fr', 12, r.chance(0.5))}`,
  (r) => m`Bonjour, voici ma phrase secrète ${phraseS(r, 'fr')} merci de vérifier`,
  (r) => m`la mia frase di recupero è ${phraseS(r, 'it')}`,
  (r) => m`${phraseS(r, 'it', 24)}\nqueste sono le parole del mio wallet`,
  (r) => m`minha frase de recuperação: ${phraseS(r, 'pt', 12, r.chance(0.5))}`,
  (r) => m`Olá, importei ${phraseS(r, 'pt')} e o saldo está zerado`,
  (r) => m`moje obnovovací fráze: ${phraseS(r, 'cs', 12, r.chance(0.5))}`,
  (r) => m`${phraseS(r, 'cs', 18)} to jsou moje slova pro obnovu`,
  (r) => m`我的助記詞是 ${phraseS(r, 'zh-Hant')}`,
  (r) => m`助記詞：${phraseS(r, 'zh-Hant', 12, true, '')}，幫我看看為什麼導入不了`,
  (r) => m`リカバリーフレーズ：${phraseS(r, 'ja')}`,
  (r) => m`シードフレーズは ${phraseS(r, 'ja', 12, true, ' ')} です。復元できません`,
  (r) => m`복구 문구: ${phraseS(r, 'ko')}`,
  (r) => m`제 시드 문구는 ${phraseS(r, 'ko', 24)} 입니다 도와주세요`,
  (r) => m`${phraseS(r, r.pick(['es', 'fr', 'it', 'pt', 'cs', 'ko'] as const), 12)}`,
  // Electrum and Monero
  (r) => m`my electrum seed: ${S('seed_phrase', electrumSeed(r).join(' '))}`,
  (r) => m`restored ${S('seed_phrase', electrumSeed(r).join(' '))} in Electrum and the wallet is empty`,
  (r) => m`monero seed ${S('seed_phrase', moneroSeed(r).join(' '))}`,
  (r) => m`${S('seed_phrase', moneroSeed(r).join(' '))}\nis my Monero GUI wallet, funds gone`,
  // damaged and decorated phrases
  (r) => m`please help, my seed is ${damagedSeed(r, 2)}`,
  (r) => m`recovery phrase (I can't read my handwriting): ${damagedSeed(r, 3, 'comma')}`,
  (r) => m`my 12 words ${damagedSeed(r, r.pick([2, 3]))} wallet says invalid`,
  (r) => m`my seed words stamped on steel: ${prefixSeed(r)}`,
  (r) => {
    const [head, secret] = listedSeed(r);
    return m`my recovery phrase:\n${head}${secret}`;
  },
  (r) => {
    const [head, secret] = listedSeed(r, true);
    return m`${head}${secret}\nthat's what I wrote down, one word might be wrong`;
  },
  (r) => m`\u0060\u0060\u0060\n${seedEn(r, 12, 'space')}\n\u0060\u0060\u0060`,
  (r) => m`seed phrase ||${seedEn(r, 12, 'space')}||`,
  (r) => m`||${seedEn(r, 12, 'space')}|| (spoilered so nobody sees it)`,
  // keys without a key word, and in any wording
  (r) => m`${key('private_key', solanaSecret(r))}`,
  (r) => m`is this right? ${key('private_key', solanaSecret(r))}`,
  (r) => m`solana-keygen wrote ${key('private_key', solanaKeypairJson(r))}`,
  (r) => m`MetaMask export gave me 0x${S('private_key', hex(r, 64))} is that what you need?`,
  (r) => m`clave privada: ${hexKey(r)}`,
  (r) => m`私鑰：${hexKey(r)}`,
  (r) => m`秘密鍵 ${hexKey(r)}`,
  (r) => m`개인 키 ${hexKey(r)}`,
  (r) => m`exported it from trust wallet: ${hexKey(r)}`,
  (r) => m`keystore:\n${key('private_key', keystoreJson(r, r.chance(0.5)))}\npassword: ${pw(r)}`,
  (r) => m`${key('private_key', keystoreJson(r))} the password is ${pw(r)}`,
  // Traditional Chinese labels, more password phrasings
  (r) => m`密碼：${pw(r)}`,
  (r) => m`我的登錄密碼是${pw(r)}`,
  (r) => m`驗證碼 ${code6(r)}`,
  (r) => m`簡訊驗證碼是 ${code6(r)}`,
  (r) => m`身分證字號 ${S('national_id', taiwanId(r))}`,
  (r) => m`身份證字號：${S('national_id', taiwanId(r))}`,
  (r) => m`身份證號碼 ${cnId(r)}`,
  (r) => m`the password I set is ${pw(r)}`,
  (r) => m`I set my password as ${pw(r)} and it still fails`,
  (r) => m`password that I use for binance is ${pw(r)}`,
  (r) => m`the password i used was ${pw(r)}`,
  // codes typed differently
  (r) => m`code: ${S('otp', spaced(r.digits(6)))}`,
  (r) => m`验证码是 ${S('otp', fullWidth(spaced(r.digits(6))))}`,
  (r) => m`the login code Telegram sent me is ${S('otp', r.digits(5))}`,
  (r) => m`the code Binance texted me is ${code6(r)}`,
  (r) => m`OTP ${S('otp', spaced(r.digits(r.pick([4, 6, 8]))))} pls hurry`,
  (r) => m`驗證碼：${S('otp', fullWidth(r.digits(6)))}`,
];

// Ordinary support messages in every language a phrase can be written in: prose made of list words.
const PROSE: Record<'es' | 'fr' | 'it' | 'pt' | 'cs' | 'ja' | 'ko' | 'zh-Hant', string[]> = {
  es: [
    'Hola, hice un retiro hace tres horas y todavía no llega a mi cuenta, ¿pueden revisar?',
    'No puedo abrir la aplicación después de la actualización, se cierra sola en mi teléfono.',
    '¿Es seguro guardar mi frase de recuperación en una nota del móvil? Un amigo dice que no.',
    'Perdí mi frase semilla, ¿hay alguna forma de recuperar el saldo de mi billetera?',
    'La comisión de la red es muy alta hoy, quiero enviar solo veinte dólares a mi hermano.',
    'Gracias por la ayuda de ayer, todo funciona bien ahora, buen trabajo del equipo de soporte.',
  ],
  fr: [
    "Bonjour, mon retrait est en attente depuis trois heures, pouvez-vous vérifier s'il vous plaît ?",
    "L'application plante quand j'ouvre la page d'échange sur mon téléphone Android.",
    'Est-ce que je dois garder ma phrase de récupération sur papier ou dans un coffre ?',
    "J'ai perdu ma phrase secrète, est-ce que le support peut m'aider à récupérer le compte ?",
    'Pourquoi les frais de réseau sont si élevés aujourd\'hui ? Je veux juste envoyer un petit montant.',
    'Merci beaucoup pour votre aide rapide, tout marche parfaitement maintenant.',
  ],
  it: [
    'Ciao, il mio prelievo è bloccato da tre ore, potete controllare per favore?',
    "L'app si chiude da sola quando apro la pagina dello scambio dopo l'aggiornamento.",
    'Ho perso la mia frase di recupero, esiste un modo per recuperare il portafoglio?',
    'Le commissioni della rete sono troppo alte oggi, devo mandare solo venti euro a mia madre.',
    'Grazie per il supporto di ieri, adesso funziona tutto bene.',
    'Quando arriva la ricompensa dello staking? Il saldo non cambia da una settimana.',
  ],
  pt: [
    'Olá, meu saque está pendente há três horas, podem verificar por favor?',
    'O aplicativo fecha sozinho quando abro a tela de troca no meu celular.',
    'Perdi minha frase de recuperação, tem como recuperar a carteira?',
    'A taxa da rede está muito alta hoje, só quero enviar um pouco para minha irmã.',
    'Obrigado pela ajuda rápida, agora está tudo funcionando.',
    'É seguro guardar a frase secreta no computador ou é melhor anotar no papel?',
  ],
  cs: [
    'Dobrý den, můj výběr čeká už tři hodiny, můžete to prosím zkontrolovat?',
    'Aplikace po aktualizaci padá, když otevřu stránku směny v telefonu.',
    'Ztratil jsem obnovovací frázi, dá se peněženka ještě nějak obnovit?',
    'Poplatky v síti jsou dnes vysoké, chci poslat jen malou částku kamarádovi.',
    'Děkuji za rychlou pomoc, všechno už funguje jak má.',
    'Je bezpečné mít slova pro obnovu uložená v počítači nebo je lepší papír?',
  ],
  ja: [
    'こんにちは、出金が三時間たっても届きません。確認していただけますか？',
    'アップデートの後、アプリを開くとすぐに落ちてしまいます。',
    'リカバリーフレーズをなくしてしまいました。ウォレットを復元する方法はありますか？',
    '今日は手数料がとても高いですね。少しだけ送金したいのですが。',
    'きのうは助けていただきありがとうございました。いまは問題なく使えています。',
    'シードフレーズを紙に書いて保管するのは安全ですか？',
  ],
  ko: [
    '안녕하세요, 출금한 지 세 시간이 지났는데 아직 도착하지 않았어요. 확인 부탁드립니다.',
    '업데이트 후에 앱을 열면 바로 꺼져요. 어떻게 해야 하나요?',
    '복구 문구를 잃어버렸는데 지갑을 다시 찾을 수 있는 방법이 있나요?',
    '오늘 수수료가 너무 비싸네요. 가족에게 조금만 보내고 싶어요.',
    '어제 도와주셔서 감사합니다. 지금은 잘 작동합니다.',
    '시드 문구를 종이에 적어서 보관해도 안전한가요?',
  ],
  'zh-Hant': [
    '你好，我的提現已經三個小時了還沒到帳，麻煩幫我查一下',
    '更新之後打開應用就閃退，請問怎麼解決',
    '助記詞丟了還能找回錢包嗎？',
    '為什麼今天手續費這麼高，我只想轉一點給家人',
    '昨天的問題已經解決了，謝謝客服',
    '請問助記詞可以存在雲端嗎？還是寫在紙上比較安全',
  ],
};

// What agents and customers write about secrets in Chinese: labels (助记词, 私钥, 密码, 验证码) listed in prose.
// Their characters are rare, so the frequency test alone takes such sentences for random phrases.
const SECURITY_ZH: string[] = [
  '我们绝不会向您索要助记词、私钥、密码或验证码',
  '请不要把助记词、私钥、密码或验证码告诉任何人',
  '请不要把助记词告诉任何人，包括自称客服的人员',
  '官方客服不会私信您，也不会要求您提供助记词或私钥',
  '任何索要助记词的人都是骗子，请立即停止对话并举报',
  '助记词是恢复钱包的唯一凭证，一旦泄露资产将无法找回',
  '请将助记词抄写在纸上并妥善保管，不要截图或保存在网盘',
  '温馨提示：平台工作人员永远不会询问您的助记词、私钥或支付密码',
  '为了您的资金安全，请勿在群聊中发送助记词、私钥、密码、验证码等敏感信息',
  '我们的客服只会在本频道回复您，绝不会通过私信索要任何密码或助记词',
  '您好，请问您是在导入钱包时遇到问题吗？请不要在这里发送您的助记词',
  '如果您已经泄露了助记词，请立即创建新钱包并转移资产',
  '客服说需要我提供助记词才能解冻账户，这是真的吗',
  '请注意：官方人员不会以任何理由向您索取助记词、私钥、支付密码、短信验证码或谷歌验证码',
  '防骗提醒：不要点击陌生链接，不要扫描来历不明的二维码，不要泄露助记词',
  '您的身份证号、银行卡号、手机验证码请勿在公开群组发送',
  '近期有不法分子冒充官方客服，以升级钱包为由骗取用户助记词，请大家注意防范',
  '请问导出私钥和备份助记词有什么区别，哪个更安全一些',
  '恢复短语和私钥一样重要，绝对不能发给别人，截图也不行',
  '验证码五分钟内有效，请勿将验证码告诉他人',
  '我們絕不會向您索取助記詞、私鑰、密碼或驗證碼',
  '請不要把助記詞、私鑰、密碼或驗證碼告訴任何人',
  '請勿將助記詞、私鑰、密碼或驗證碼提供給任何人，包括自稱客服的人員',
  '官方客服不會私訊您，也不會要求您提供助記詞或私鑰',
  '任何索取助記詞的人都是詐騙，請立即停止對話並檢舉',
  '為了您的資金安全，請勿在群組中傳送助記詞、私鑰、密碼、驗證碼等敏感資訊',
  '我們的工作人員不會以任何理由向您索取助記詞、私鑰、交易密碼、簡訊驗證碼或谷歌驗證碼',
  '您的身分證字號、銀行卡號、手機驗證碼請勿在公開群組傳送',
  '近期有不法分子冒充官方客服，以升級錢包為由騙取用戶助記詞，請大家注意防範',
  '我們絕對不會主動聯繫您，也不會要求您提供私鑰或助記詞，請提高警惕',
];

const NEGATIVE_ISSUE9: Template[] = [
  // Chinese security talk, alone, glued, and around other traffic
  (r) => m`${r.pick(SECURITY_ZH)}`,
  (r) => m`${r.pick(SECURITY_ZH)}`,
  (r) => m`${r.pick(SECURITY_ZH)}。${r.pick(SECURITY_ZH)}`,
  (r) => m`${r.pick(SECURITY_ZH)}！${r.pick(SECURITY_ZH)}。${r.pick(SECURITY_ZH)}`,
  (r) => m`收到，${r.pick(SECURITY_ZH)}。`,
  (r) => m`${r.pick(SECURITY_ZH)} We will never ask for your recovery phrase, private key, password or codes.`,
  // prose in each language (a few sentences glued, as customers write)
  ...(Object.keys(PROSE) as (keyof typeof PROSE)[]).flatMap((lang) => [
    (r: Rng) => m`${r.pick(PROSE[lang])}`,
    (r: Rng) => m`${r.pick(PROSE[lang])} ${r.pick(PROSE[lang])} ${r.pick(PROSE[lang])}`,
  ]),
  // word lists in each language that are not phrases
  (r) => m`${notAPhrase(r, 'en', r.int(6, 14)).join(' ')}`,
  (r) => m`vocabulario de hoy: ${notAPhrase(r, 'es', r.int(6, 14)).join(', ')}`,
  (r) => m`${notAPhrase(r, 'fr', 12).join(' ')}`,
  (r) => m`${notAPhrase(r, 'it', 12).join(' ')}`,
  (r) => m`palavras: ${notAPhrase(r, 'pt', r.int(6, 12)).join(' ')}`,
  (r) => m`${notAPhrase(r, 'cs', 12).join(' ')}`,
  (r) => m`${notAPhrase(r, 'ja', 12).join('\u3000')}`,
  (r) => m`${notAPhrase(r, 'ko', 12).join(' ')}`,
  (r) => m`${notAPhrase(r, 'zh-Hant', 12).join(' ')}`,
  (r) => m`${Array.from({ length: 25 }, () => r.pick(MONERO_ENGLISH)).slice(0, 14).join(' ')}`,
  // Solana signatures and addresses, also right after "private key"; tx hashes after "key"
  (r) => m`they stole my private key ${solanaSignature(r)}`,
  (r) => m`is my private key leaked? the drain tx signature is ${solanaSignature(r)}`,
  (r) => m`signature: ${solanaSignature(r)}`,
  (r) => m`https://solscan.io/tx/${solanaSignature(r)}`,
  (r) => m`${solanaSignature(r)}`,
  (r) => m`my key account is ${solanaAddress(r)}`,
  (r) => m`key: ${solanaAddress(r)}`,
  (r) => m`I lost my key, but the tx hash is 0x${hex(r, 64)}`,
  (r) => m`key question: why is tx 0x${hex(r, 64)} still pending?`,
  (r) => m`私鑰沒有外洩，交易哈希是 0x${hex(r, 64)}`,
  (r) => m`exported the transaction list, tx ${hex(r, 64)} is missing`,
  // JSON that is not a keystore; talk about keystores
  (r) => m`{"jsonrpc":"2.0","id":${r.int(1, 99)},"result":{"transactionHash":"0x${hex(r, 64)}","status":"0x1"}}`,
  (r) => m`where is the keystore file saved? the app asks for a JSON with ciphertext`,
  // Traditional Chinese and password talk
  (r) => m`密碼忘記了怎麼辦`,
  (r) => m`驗證碼收不到`,
  (r) => m`身分證過期了還能認證嗎`,
  (r) => m`私鑰在哪裡可以看到？`,
  (r) => m`the password I set is not working`,
  (r) => m`the password I set is too long? it cuts off`,
  // digits typed with spaces that are not codes
  (r) => m`error code 5 0 3 again`,
  (r) => m`the code Telegram sent me never arrived`,
  (r) => m`rate me 1 2 3 4 5 stars`,
  (r) => m`订单 ${spaced(r.digits(4))} 已取消`,
];

// --- what a newcomer found missed (#9 follow-up): each a kind, with hard negatives of the same shape ------------

/** A card number written with dots between its groups ("4111.1111.1111.1111", Amex 4.6.5). */
function dottedCard(r: Rng): Secret {
  const d = cardNumber(r).replace(/\D/g, '');
  const sizes = { 15: [4, 6, 5], 17: [4, 4, 4, 5], 18: [4, 4, 4, 6] }[d.length] ?? [4, 4, 4, 4, 3];
  const groups: string[] = [];
  let i = 0;
  for (const size of sizes) {
    if (i < d.length) groups.push(d.slice(i, i + size));
    i += size;
  }
  return S('payment_card', groups.join('.'));
}
/** A token glued to a digit, as customers type device and app names ("iPhone15", "utf8", "x8"). */
const GLUED = ['x8', 'utf8', 'iPhone15', 'win10', 'v2', 'A1', 'mi11', 'p40', 'ios17', 'pixel7'];
const refToken = (r: Rng): string => r.chars(2, 'ABCDEFGHJKLMNPQRSTUVWXYZ') + r.digits(2) + r.chars(2, 'ABCDEFGHJKLMNPQRSTUVWXYZ') + r.digits(1);

/** A 64-hex key wrapped over two or three lines, as a narrow editor or chat window copies it. */
function wrappedKey(r: Rng): Secret {
  const h = hexKey(r).value;
  const body = h.startsWith('0x') ? 2 : 0;
  const cuts = r.chance(0.6) ? [body + 32] : r.chance(0.5) ? [body + r.int(16, 48)] : [body + 20, body + 42];
  const lines: string[] = [];
  let from = 0;
  for (const cut of [...cuts, h.length]) {
    lines.push(h.slice(from, cut));
    from = cut;
  }
  return S('private_key', lines.join(r.chance(0.2) ? '\r\n' : '\n'));
}
const hexLines = (r: Rng, width: number, count = 2): string => Array.from({ length: count }, () => hex(r, width)).join('\n');

/** A 64-hex key written in space-separated groups of `width` (2 × 32, 4 × 16, 8 × 8), as some wallets display it. */
function spacedKey(r: Rng, width: number): Secret {
  const h = hexKey(r).value;
  const prefix = h.startsWith('0x') ? '0x' : '';
  const body = h.slice(prefix.length);
  const groups: string[] = [];
  for (let i = 0; i < body.length; i += width) groups.push(body.slice(i, i + width));
  return S('private_key', prefix + groups.join(' '));
}
const hexGroups = (r: Rng, width: number, count: number): string => Array.from({ length: count }, () => hex(r, width)).join(' ');

/** A number's digits regrouped with underscores ("4111_1111_1111_1111"), or run together after a handle's "_". */
const underscored = (value: string, grouped = true): string => {
  const d = value.replace(/\D/g, '');
  return grouped ? d.replace(/(\d{4})(?=\d)/g, '$1_') : d;
};
/** A handle a platform built from a display name: "bob_", "sse_", "li_wei_". */
const HANDLES = ['bob_', 'sse_', 'li_wei_', 'crypto_king_', 'Anna_', 'mike_'];

/**
 * A phrase in two halves with a part label between them ("w1 … w6 第二部分：w7 … w12"): the label runs from the
 * first word to the last, the label between the halves included.
 */
function partedSeed(r: Rng, lang: Bip39Lang | 'zh', between: string, sep = ' '): Secret {
  const words = lang === 'zh' ? mnemonicWords(r, 12, 'zh') : phraseIn(r, lang, 12);
  return S('seed_phrase', `${words.slice(0, 6).join(sep)}${between}${words.slice(6).join(sep)}`);
}
const ZH_SECOND_PARTS = [' 第二部分：', ' 后半部分 ', '，后六个：', ' 第7-12个 ', ' 下半部分：', '，第二段：'];

/** One to three list words repeated to 12-24 tokens, never a valid phrase ("hello world hello world …"). */
function repeatedWords(r: Rng): string[] {
  for (;;) {
    const pool = Array.from({ length: r.int(1, 3) }, () => r.pick(['hello', 'world', 'test', 'abandon', 'zoo', 'word', 'yes', 'love', 'moon', r.pick(english)]));
    const words = Array.from({ length: r.int(12, 24) }, (_, i) => pool[i % pool.length] ?? 'test');
    if (!validateMnemonic(words.join(' '), english)) return words;
  }
}

const POSITIVE_NEWCOMER: Template[] = [
  // the BIP39 test vector and the Hardhat default: repeated words, yet valid phrases
  (r) => m`${S('seed_phrase', `${'abandon '.repeat(11)}about`)}${r.pick(['', ' is this safe to use?'])}`,
  (r) => m`${S('seed_phrase', `${'test '.repeat(11)}junk`)}${r.pick(['', ' — the hardhat accounts'])}`,
  // recovery phrases with part labels between or before their words
  (r) => m`助记词第一部分：${partedSeed(r, 'zh', ' 第二部分：')}`,
  (r) => m`助记词${r.pick(['前半部分', '前六个', '第1-6个', '上半部分'])} ${partedSeed(r, 'zh', r.pick(ZH_SECOND_PARTS))}`,
  (r) => m`助记词前半部分 ${partedSeed(r, 'zh', ' ')}`,
  (r) => m`我的助记词第一部分是${partedSeed(r, 'zh', '，第二部分是', '')}`,
  (r) => m`助記詞上半部分：${S('seed_phrase', ((w) => `${w.slice(0, 6).join(' ')} 下半部分：${w.slice(6).join(' ')}`)(phraseIn(r, 'zh-Hant', 12)))}`,
  (r) => m`my seed phrase part 1: ${partedSeed(r, 'en', ' part 2: ')}`,
  (r) => m`recovery phrase, first half: ${partedSeed(r, 'en', r.pick([' second half: ', ', other half: ']))}`,
  (r) => m`frase semilla primera parte: ${partedSeed(r, 'es', ' segunda parte: ')}`,
  (r) => m`phrase de récupération première partie : ${partedSeed(r, 'fr', ' deuxième partie : ')}`,
  (r) => m`frase di recupero prima parte: ${partedSeed(r, 'it', ' seconda parte: ')}`,
  // a private key wrapped over lines after a label
  (r) => m`私钥\n${wrappedKey(r)}`,
  (r) => m`private key:\n${wrappedKey(r)}`,
  (r) => m`my exported key (notepad wrapped it):\n${wrappedKey(r)}\nwhy does import fail?`,
  (r) => m`私鑰：\n${wrappedKey(r)}`,
  // a labelled private key written in space-separated groups
  (r) => m`private key: ${spacedKey(r, 32)}`,
  (r) => m`私钥 ${spacedKey(r, r.pick([32, 16]))}`,
  (r) => m`私钥：${spacedKey(r, 8)}`,
  (r) => m`my exported key is ${spacedKey(r, r.pick([8, 16, 32]))} but import fails`,
  (r) => m`私鑰 ${spacedKey(r, r.pick([8, 32]))} 导入不了`,
  // digit groups joined by underscores, and numbers carried into a handle after "_"
  (r) => m`my card is ${S('payment_card', underscored(cardNumber(r)))}`,
  (r) => m`@${r.pick(HANDLES)}${S('payment_card', underscored(cardNumber(r), r.chance(0.5)))} ${r.pick(['charged twice', 'here, card blocked', 'pls check'])}`,
  (r) => m`银行卡号 ${S('bank_account', underscored(chineseBankCard(r)))}`,
  (r) => m`@${r.pick(HANDLES)}${cnId(r)} 实名认证失败`,
  (r) => m`@${r.pick(HANDLES)}${S('phone', chineseMobile(r).replace(/\D/g, '').slice(-11))} 收不到验证码`,
  // payment cards after a stray digit, an alphanumeric token, a full-width comma; dot separators
  (r) => m`我用iPhone${r.int(11, 16)}支付，${card(r)} 被扣了两次`,
  (r) => m`ref ${refToken(r)}: ${card(r)} declined`,
  (r) => m`order ${r.digits(6)}, paid with ${card(r)} and it was charged twice`,
  (r) => m`${r.pick(GLUED)} ${card(r)}`,
  (r) => m`paid on ${r.pick(GLUED)} ${card(r)} twice`,
  (r) => m`card ${dottedCard(r)}`,
  (r) => m`${dottedCard(r)} was charged twice`,
  (r) => m`${card(r)} 2nd charge today`,
  (r) => m`信用卡，${card(r)}，被盗刷了`,
  // codes and passwords after a full-width comma
  (r) => m`${r.pick(['验证码', '谷歌验证码', '短信验证码', '2FA'])}，${r.chance(0.3) ? fw(code6(r)) : code6(r)}`,
  (r) => m`${r.pick(['密码', '登录密码', '支付密码'])}，${pw(r)} 帮我看看`,
  // the same kind for bank accounts and IDs
  (r) => m`银行卡，${bankCard(r)}`,
  (r) => m`银行卡号 ${r.pick(GLUED)} ${bankCard(r)}`,
  (r) => m`用${r.pick(GLUED)}拍的身份证，${cnId(r)}`,
  (r) => m`${r.pick(GLUED)} ${mobile(r)} 这个号码收不到验证码`,
];

const NEGATIVE_NEWCOMER: Template[] = [
  // repeated list words that fail the checksum, with no keyword: tests and jokes, not phrases
  (r) => m`${repeatedWords(r).join(' ')}`,
  (r) => m`${repeatedWords(r).join(', ')}`,
  (r) => m`${repeatedWords(r).map((w, i) => `${i + 1}. ${w}`).join('\n')}`,
  (r) => m`${'hello world '.repeat(r.int(6, 12)).trim()}`,
  (r) => m`${'test '.repeat(11)}${r.pick(['junkk', 'done', 'ok'])}`,
  // part labels in prose, and list words between part labels without framing or checksum
  (r) => m`第一部分：${notAPhrase(r, 'zh-Hans', 6).join(' ')} 第二部分：${notAPhrase(r, 'zh-Hans', 6).join(' ')}`,
  (r) => m`教程第一部分已经看完了，第二部分讲的是怎么备份，前六个步骤都做了，后半部分还是导入不了钱包`,
  (r) => m`前六个月的收益是多少？后半年还能质押吗`,
  (r) => m`part 1: ${notAPhrase(r, 'en', 6).join(' ')} part 2: ${notAPhrase(r, 'en', 6).join(' ')}`,
  (r) => m`the first half of the year my wallet was fine, the second half it kept crashing`,
  (r) => m`part 1 of the guide says never share your seed phrase, part 2 is about backups`,
  (r) => m`primera parte: ${notAPhrase(r, 'es', 6).join(' ')} segunda parte: ${notAPhrase(r, 'es', 6).join(' ')}`,
  (r) => m`la première partie du tutoriel marche, la deuxième partie non`,
  // hex lines that are not a wrapped key: commits, checksums, a wrapped tx hash, lines without a label
  (r) => m`reverted these two commits:\n${hexLines(r, 40)}`,
  (r) => m`${hexLines(r, 40)}`,
  (r) => m`${hexLines(r, 32)}`,
  (r) => m`md5 of the two files:\n${hexLines(r, 32)}`,
  (r) => m`tx hash:\n${hexLines(r, 32)}\nstill pending`,
  (r) => m`key question: why is this tx stuck?\n${hexLines(r, 32)}`,
  (r) => m`交易哈希\n${hexLines(r, 32)}`,
  // space-separated hex that is not a key: commits, a tx hash and an address, checksums, or no label at all
  (r) => m`${hexGroups(r, 40, 2)}`,
  (r) => m`${hexGroups(r, 32, 2)}`,
  (r) => m`${hexGroups(r, 8, 8)}`,
  (r) => m`reverted commits ${hexGroups(r, r.pick([8, 40]), r.pick([2, 8]))}`,
  (r) => m`commit ${hexGroups(r, 32, 2)}`,
  (r) => m`tx ${hex(r, 64)} ${'0x' + hex(r, 40)} ${r.pick(['still pending', 'not arrived', ''])}`,
  (r) => m`tx hash: ${hexGroups(r, 32, 2)}`,
  (r) => m`交易哈希 ${hexGroups(r, r.pick([8, 32]), r.pick([2, 8]))}`,
  (r) => m`md5 hash ${hexGroups(r, 32, 2)}`,
  // snake_case identifiers and tags with numbers: builds, ids, versions, file names; order and tx handles
  (r) => m`build_${r.int(2019, 2025)}_${r.int(10, 12)}_${r.int(10, 28)} ${r.pick(['fails on login', 'is live', 'crashed'])}`,
  (r) => m`order_id_${r.digits(6)} still pending`,
  (r) => m`${r.pick(['v', 'release_v', 'app_v'])}${r.int(1, 9)}_${r.int(0, 20)}_${r.int(0, 99)} breaks the swap page`,
  (r) => m`IMG_${r.int(2019, 2025)}${r.int(10, 12)}${r.int(10, 28)}_${r.digits(6)}.jpg attached`,
  (r) => m`order_id_${luhnNumber(r, '4', 16)} refund?`,
  (r) => m`tx_${underscored(luhnNumber(r, String(r.int(51, 55)), 16))} stuck`,
  // card-shaped numbers that are order numbers: the label governs them, whatever sits before it
  (r) => m`我用iPhone${r.int(11, 16)}支付，订单号 ${luhnNumber(r, '4', 16)} 被扣了两次`,
  (r) => m`ref ${refToken(r)} order ${luhnNumber(r, String(r.int(51, 55)), 16)} declined`,
  (r) => m`订单号 ${r.int(2019, 2025)} ${luhnNumber(r, '4', 16)}`,
  (r) => m`order ${r.digits(4)} ${luhnNumber(r, '4', 16)} is still processing`,
  (r) => m`${r.pick(GLUED)} ${orderNo(r)}`,
  (r) => m`${r.pick(['验证码', '密码'])}，${r.pick(['收不到', '忘了', '输错了三次', '一直提示错误'])}`,
  (r) => m`error code, ${r.digits(6)} again`,
  (r) => m`交易编号 ${luhnNumber(r, '4', 16).replace(/(\d{4})(?=\d)/g, '$1.')}`,
  (r) => m`amount ${r.int(1000, 9999)}.${r.digits(2)} USDT, fee ${r.digits(1)}.${r.digits(4)}`,
  (r) => m`app ${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)} on ${r.pick(GLUED)}, build ${r.int(2019, 2025)}${r.digits(4)}`,
];

const PREFIXES = ['', '', '', 'hi ', 'Hello team, ', '您好，', '客服你好 ', '😭 ', '🙏🙏 ', '@support ', 'urgent!!! ', '在吗？', 'hey\n'];
const SUFFIXES = ['', '', '', ' thanks', ' 谢谢', ' pls help', ' 🙏', '？？', ' asap', '\n\nsent from my iPhone', ' 😡'];

export function generateCorpus(seed = 20240315, perTemplate = 5): CorpusMessage[] {
  const r = new Rng(seed);
  const out: CorpusMessage[] = [];
  const add = (kind: 'p' | 'n', template: Template, n: number) => {
    const parts = [r.pick(PREFIXES), ...template(r), r.pick(SUFFIXES)];
    const { text, labels } = assemble(parts);
    const types = [...new Set(labels.map((l) => l.type))].sort();
    out.push({ id: `${kind}-${String(n).padStart(4, '0')}`, text, labels, types });
  };
  let p = 0;
  let n = 0;
  for (let round = 0; round < perTemplate; round++) {
    for (const t of [...POSITIVE, ...POSITIVE_ISSUE9, ...POSITIVE_NEWCOMER]) add('p', t, ++p);
    for (const t of [...NEGATIVE, ...NEGATIVE_ISSUE9, ...NEGATIVE_NEWCOMER]) add('n', t, ++n);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const corpus = generateCorpus();
  const file = fileURLToPath(new URL('./messages.jsonl', import.meta.url));
  writeFileSync(file, corpus.map((c) => JSON.stringify(c)).join('\n') + '\n');
  const positives = corpus.filter((c) => c.labels.length > 0).length;
  process.stdout.write(`wrote ${corpus.length} messages (${positives} positive, ${corpus.length - positives} negative) to ${file}\n`);
}
