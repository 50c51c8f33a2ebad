// Fake-but-valid sensitive values for the evaluation corpus, from a seeded PRNG: every mnemonic has a real
// BIP39 checksum, every card passes Luhn, every ID has its check digit, and none of them belongs to anyone.
import { createHmac, createPrivateKey, createPublicKey } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { entropyToMnemonic, validateMnemonic } from '@scure/bip39';
import { wordlist as czech } from '@scure/bip39/wordlists/czech.js';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as french } from '@scure/bip39/wordlists/french.js';
import { wordlist as italian } from '@scure/bip39/wordlists/italian.js';
import { wordlist as japanese } from '@scure/bip39/wordlists/japanese.js';
import { wordlist as korean } from '@scure/bip39/wordlists/korean.js';
import { wordlist as portuguese } from '@scure/bip39/wordlists/portuguese.js';
import { wordlist as chinese } from '@scure/bip39/wordlists/simplified-chinese.js';
import { wordlist as spanish } from '@scure/bip39/wordlists/spanish.js';
import { wordlist as traditional } from '@scure/bip39/wordlists/traditional-chinese.js';
import { MONERO_ENGLISH } from '../wordlists/index.ts';
import { luhnValid, sha256 } from '../detectors/util.ts';
import { chineseIdValid } from '../detectors/national-id.ts';

/** mulberry32: small, fast and good enough for shuffling test data; the same seed gives the same corpus. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(0, 255));
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B64URL = ALNUM + '-_';

export const hex = (r: Rng, n: number): string => r.chars(n, HEX);

// --- seed phrases --------------------------------------------------------------------------------------------

const STRENGTH_BYTES: Record<number, number> = { 12: 16, 15: 20, 18: 24, 21: 28, 24: 32 };

export function mnemonicWords(r: Rng, words: number, lang: 'en' | 'zh'): string[] {
  const entropy = r.bytes(STRENGTH_BYTES[words] ?? 16);
  return entropyToMnemonic(entropy, lang === 'en' ? english : chinese).split(' ');
}

export const BIP39_LISTS = { en: english, es: spanish, fr: french, it: italian, pt: portuguese, cs: czech, 'zh-Hans': chinese, 'zh-Hant': traditional, ja: japanese, ko: korean } as const;
export type Bip39Lang = keyof typeof BIP39_LISTS;

/**
 * A valid phrase in any BIP39 list, as people type it: composed characters (NFC), Japanese separated by the
 * ideographic space, and with `accents: false` the Latin accents left out.
 */
export function phraseIn(r: Rng, lang: Bip39Lang, words = 12, accents = true): string[] {
  const list = BIP39_LISTS[lang];
  const phrase = entropyToMnemonic(r.bytes(STRENGTH_BYTES[words] ?? 16), list).normalize('NFC');
  const split = phrase.split(lang === 'ja' ? '\u3000' : ' ');
  return accents ? split : split.map((w) => w.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''));
}

/** n words of a list that are NOT a valid phrase (checksum wrong, not an Electrum seed), NFC. */
export function notAPhrase(r: Rng, lang: Bip39Lang, n: number): string[] {
  const list = BIP39_LISTS[lang];
  for (;;) {
    // Words that name a phrase themselves ("semilla", "mnemonico") would frame the list: leave them out.
    const words = Array.from({ length: n }, () => r.pick(list).normalize('NFC')).filter((w) => !FRAMING_WORDS.test(w));
    if (words.length < n) continue;
    // No window of a phrase's length may be a valid phrase either: that would be one, by chance (1 in 16).
    let valid = false;
    for (const len of [12, 15, 18, 21, 24]) {
      for (let s = 0; s + len <= n && !valid; s++) {
        valid = validateMnemonic(words.slice(s, s + len).join(lang === 'ja' ? '\u3000' : ' ').normalize('NFKD'), list);
      }
    }
    if (valid || (lang === 'en' && n === 12 && isElectrum(words))) continue;
    return words;
  }
}

const FRAMING_WORDS = /^(?:semill|semente|mn[eé]mo|frase|phrase|parole|mots|palavra|slova|seed)/;
const isElectrum = (words: string[]): boolean =>
  /^(?:01|10[012])/.test(createHmac('sha512', 'Seed version').update(words.join(' ')).digest('hex'));

/** A 12-word Electrum "standard" seed (English words, version prefix 01) that is not a valid BIP39 phrase. */
export function electrumSeed(r: Rng): string[] {
  for (;;) {
    const words = Array.from({ length: 12 }, () => r.pick(english));
    if (createHmac('sha512', 'Seed version').update(words.join(' ')).digest('hex').startsWith('01') && !validateMnemonic(words.join(' '), english)) return words;
  }
}

/** A Monero 25-word seed: 24 words and the checksum word (crc32 of the 3-letter prefixes, mod 24). */
export function moneroSeed(r: Rng): string[] {
  const words = Array.from({ length: 24 }, () => r.pick(MONERO_ENGLISH));
  words.push(words[crc32(words.map((w) => w.slice(0, 3)).join('')) % 24] ?? '');
  return words;
}

/** One English word misspelt so that it is no longer in the list (a realistic typo). */
export function misspell(r: Rng, word: string): string {
  const list = new Set(english);
  for (let attempt = 0; attempt < 20; attempt++) {
    const i = r.int(1, word.length - 1);
    const variants = [
      word.slice(0, i) + word.slice(i + 1), // dropped letter
      word.slice(0, i) + word[i] + word.slice(i), // doubled letter
      word.slice(0, i - 1) + (word[i] ?? '') + (word[i - 1] ?? '') + word.slice(i + 1), // swapped letters
    ];
    const typo = r.pick(variants);
    if (!list.has(typo) && typo !== word) return typo;
  }
  return word + 'x';
}

export type SeedFormat = 'space' | 'comma' | 'newline' | 'numbered' | 'numbered-paren' | 'dash' | 'title' | 'upper';

export function formatEnglish(words: string[], format: SeedFormat): string {
  switch (format) {
    case 'space':
      return words.join(' ');
    case 'comma':
      return words.join(', ');
    case 'newline':
      return words.join('\n');
    case 'numbered':
      return words.map((w, i) => `${i + 1}. ${w}`).join('\n');
    case 'numbered-paren':
      return words.map((w, i) => `${i + 1}) ${w}`).join(' ');
    case 'dash':
      return words.join(' - ');
    case 'title':
      return words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join(' ');
    case 'upper':
      return words.join(' ').toUpperCase();
  }
}

export type ZhSeedFormat = 'dense' | 'space' | 'groups' | 'numbered' | 'comma';

export function formatChinese(chars: string[], format: ZhSeedFormat): string {
  switch (format) {
    case 'dense':
      return chars.join('');
    case 'space':
      return chars.join(' ');
    case 'groups':
      return chars.map((c, i) => (i > 0 && i % 4 === 0 ? ' ' : '') + c).join('');
    case 'numbered':
      return chars.map((c, i) => `${i + 1}.${c}`).join(' ');
    case 'comma':
      return chars.join('，');
  }
}

// --- keys ----------------------------------------------------------------------------------------------------

function base58Encode(bytes: Uint8Array): string {
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let j = 0; j < digits.length; j++) {
      carry += (digits[j] ?? 0) << 8;
      digits[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = '';
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) out += '1';
  for (let i = digits.length - 1; i >= 0; i--) out += B58[digits[i] ?? 0];
  return out;
}

function base58Check(payload: Uint8Array): string {
  const check = sha256(sha256(payload)).subarray(0, 4);
  return base58Encode(Uint8Array.from([...payload, ...check]));
}

export function wif(r: Rng, compressed: boolean): string {
  return base58Check(Uint8Array.from([0x80, ...r.bytes(32), ...(compressed ? [0x01] : [])]));
}

function extendedKey(r: Rng, version: number[], keyData: number[]): string {
  return base58Check(Uint8Array.from([...version, r.int(0, 4), ...r.bytes(4), ...r.bytes(4), ...r.bytes(32), ...keyData]));
}
export const xprv = (r: Rng): string => extendedKey(r, [0x04, 0x88, 0xad, 0xe4], [0x00, ...r.bytes(32)]);
export const xpub = (r: Rng): string => extendedKey(r, [0x04, 0x88, 0xb2, 0x1e], [0x02, ...r.bytes(32)]);

export function pemKey(r: Rng, kind: 'PRIVATE KEY' | 'RSA PRIVATE KEY' | 'EC PRIVATE KEY' | 'OPENSSH PRIVATE KEY'): string {
  const body = Buffer.from(r.bytes(kind === 'RSA PRIVATE KEY' ? 190 : 120)).toString('base64');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${kind}-----\n${lines.join('\n')}\n-----END ${kind}-----`;
}

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** A Solana keypair as solana-keygen and Phantom export it: 32-byte seed then its ed25519 public key. */
export function solanaKeypairBytes(r: Rng): Uint8Array {
  const seed = r.bytes(32);
  const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return Uint8Array.from([...seed, ...spki.subarray(spki.length - 32)]);
}
export const solanaSecret = (r: Rng): string => base58Encode(solanaKeypairBytes(r));
export const solanaKeypairJson = (r: Rng): string => `[${[...solanaKeypairBytes(r)].join(',')}]`;
/** A transaction signature: 64 bytes in base58, the same shape as a secret key but not a keypair. */
export const solanaSignature = (r: Rng): string => base58Encode(r.bytes(64));

/** A Web3 secret-storage (v3 keystore) file as wallets export it. */
export function keystoreJson(r: Rng, pretty = false): string {
  const h = (n: number) => r.chars(n, HEX);
  const obj = {
    address: h(40),
    crypto: {
      cipher: 'aes-128-ctr',
      ciphertext: h(64),
      cipherparams: { iv: h(32) },
      kdf: 'scrypt',
      kdfparams: { dklen: 32, n: 262144, p: 1, r: 8, salt: h(64) },
      mac: h(64),
    },
    id: `${h(8)}-${h(4)}-4${h(3)}-a${h(3)}-${h(12)}`,
    version: 3,
  };
  return pretty ? JSON.stringify(obj, null, 2) : JSON.stringify(obj);
}
export const solanaAddress = (r: Rng): string => base58Encode(r.bytes(32));
export const ethAddress = (r: Rng): string => '0x' + r.chars(40, '0123456789abcdefABCDEF');
export const tronAddress = (r: Rng): string => base58Check(Uint8Array.from([0x41, ...r.bytes(20)]));
export const btcAddress = (r: Rng): string =>
  r.chance(0.5)
    ? 'bc1q' + r.chars(38, '023456789acdefghjklmnpqrstuvwxyz')
    : base58Check(Uint8Array.from([r.chance(0.5) ? 0x00 : 0x05, ...r.bytes(20)]));

// --- credentials -----------------------------------------------------------------------------------------------

export function password(r: Rng): string {
  const stems = ['Sunshine', 'dragon', 'Qwerty', 'zhang', 'Wallet', 'moon', 'Tiger', 'love', 'Aa', 'abc', 'P@ss', 'wangli', 'Lucky', 'crypto', 'Mima', 'xiaoming', 'Hunter', 'Summer'];
  const symbols = ['', '', '!', '@', '#', '$', '&', '*'];
  switch (r.int(0, 3)) {
    case 0:
      return r.pick(stems) + r.digits(r.int(2, 6)) + r.pick(symbols);
    case 1:
      return r.pick(stems) + r.pick(['@', '#', '_', '.']) + r.digits(4);
    case 2:
      return r.chars(r.int(8, 14), ALNUM + '!@#$%&*');
    default:
      return r.pick(['Aa', 'Zz', 'Qq', 'Ww']) + r.digits(6) + r.pick(symbols);
  }
}

export function otp(r: Rng): string {
  const n = r.pick([6, 6, 6, 6, 4, 8]);
  const code = r.digits(n);
  return n === 6 && r.chance(0.15) ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}

// --- cards, banks, ids ---------------------------------------------------------------------------------------

function luhnComplete(body: string): string {
  for (let d = 0; d < 10; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

export function cardNumber(r: Rng): string {
  const brand = r.pick(['visa', 'visa', 'mc', 'mc2', 'amex', 'unionpay', 'discover', 'jcb']);
  let digits: string;
  switch (brand) {
    case 'visa':
      digits = luhnComplete('4' + r.digits(14));
      break;
    case 'mc':
      digits = luhnComplete(String(r.int(51, 55)) + r.digits(13));
      break;
    case 'mc2':
      digits = luhnComplete(String(r.int(2221, 2720)) + r.digits(11));
      break;
    case 'amex':
      digits = luhnComplete(r.pick(['34', '37']) + r.digits(12));
      break;
    case 'unionpay':
      digits = luhnComplete('62' + r.digits(r.pick([13, 14, 15, 16])));
      break;
    case 'discover':
      digits = luhnComplete('6011' + r.digits(11));
      break;
    default:
      digits = luhnComplete(String(r.int(3528, 3589)) + r.digits(11));
  }
  return groupDigits(r, digits);
}

/** Writes digits plain or grouped the way people type them (4-4-4-4, Amex 4-6-5, with spaces or dashes). */
export function groupDigits(r: Rng, digits: string): string {
  const style = r.int(0, 3);
  if (style === 0) return digits;
  const sep = style === 3 ? '-' : ' ';
  const sizes = digits.length === 15 ? [4, 6, 5] : [4, 4, 4, 4, 4];
  const groups: string[] = [];
  let i = 0;
  for (const size of sizes) {
    if (i >= digits.length) break;
    groups.push(digits.slice(i, i + size));
    i += size;
  }
  if (i < digits.length) groups.push(digits.slice(i));
  return groups.join(sep);
}

export function chineseBankCard(r: Rng): string {
  const prefix = r.pick(['622202', '621700', '622848', '622588', '621483', '623058', '622609', '621226']);
  const digits = prefix + r.digits(r.pick([10, 12, 13]) - 1);
  return groupDigits(r, r.chance(0.7) ? luhnComplete(digits) : digits + r.int(0, 9));
}

const IBAN_FORMATS: Record<string, (r: Rng) => string> = {
  DE: (r) => r.digits(18),
  GB: (r) => r.chars(4, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') + r.digits(14),
  FR: (r) => r.digits(23),
  NL: (r) => r.chars(4, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') + r.digits(10),
  ES: (r) => r.digits(20),
  IT: (r) => 'X' + r.digits(22),
};

export function iban(r: Rng): string {
  const country = r.pick(Object.keys(IBAN_FORMATS));
  const bban = (IBAN_FORMATS[country] ?? ((rr: Rng) => rr.digits(18)))(r);
  const numeric = (bban + country + '00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of numeric) rest = (rest * 10 + Number(ch)) % 97;
  const compact = country + String(98 - rest).padStart(2, '0') + bban;
  return r.chance(0.6) ? (compact.match(/.{1,4}/g) ?? []).join(' ') : compact;
}

const AREAS = ['110101', '110105', '310104', '310115', '440305', '440106', '320102', '330106', '510107', '420106', '350203', '370202', '610113', '500103'];

export function chineseId(r: Rng): string {
  for (;;) {
    const birth = `${r.int(1955, 2004)}${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}`;
    const body = r.pick(AREAS) + birth + r.digits(3);
    for (const check of '0123456789X') {
      if (chineseIdValid(body + check)) return r.chance(0.2) && check === 'X' ? body + 'x' : body + check;
    }
  }
}

/** A Chinese-ID-shaped number whose check digit is wrong. */
export function invalidChineseId(r: Rng): string {
  const valid = chineseId(r);
  const last = valid.slice(-1).toUpperCase();
  const wrong = '0123456789'.replace(last, '')[r.int(0, 8)] ?? '0';
  return valid.slice(0, -1) + wrong;
}

const TW_LETTERS = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
/** A Taiwan national ID (身分證字號): letter, 1 or 2, seven digits, check digit. */
export function taiwanId(r: Rng): string {
  for (;;) {
    const letter = r.pick([...'ABCDEFGHJKLMNPQRSTUVXYWZIO']);
    const body = letter + r.pick(['1', '2']) + r.digits(7);
    const v = TW_LETTERS.indexOf(letter) + 10;
    let sum = Math.floor(v / 10) + (v % 10) * 9;
    [8, 7, 6, 5, 4, 3, 2, 1].forEach((w, i) => (sum += (body.charCodeAt(i + 1) - 48) * w));
    return body + String((10 - (sum % 10)) % 10);
  }
}

export function ssn(r: Rng): string {
  let area = r.int(1, 899);
  if (area === 666) area = 667;
  return `${String(area).padStart(3, '0')}-${String(r.int(1, 99)).padStart(2, '0')}-${String(r.int(1, 9999)).padStart(4, '0')}`;
}

// --- contact ---------------------------------------------------------------------------------------------------

export function chineseMobile(r: Rng): string {
  const d = r.pick(['13', '15', '17', '18', '19', '16']) + r.int(0, 9) + r.digits(8);
  switch (r.int(0, 5)) {
    case 0:
      return d;
    case 1:
      return `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`;
    case 2:
      return `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`;
    case 3:
      return `+86 ${d}`;
    case 4:
      return `+86 ${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`;
    default:
      return `+86-${d}`;
  }
}

export function foreignPhone(r: Rng): string {
  const area = String(r.int(201, 989));
  const mid = String(r.int(200, 999));
  const last = r.digits(4);
  switch (r.int(0, 6)) {
    case 0:
      return `(${area}) ${mid}-${last}`;
    case 1:
      return `${area}-${mid}-${last}`;
    case 2:
      return `+1 ${area} ${mid} ${last}`;
    case 3:
      return `+1 (${area}) ${mid}-${last}`;
    case 4:
      return `+44 7${r.digits(3)} ${r.digits(6)}`;
    case 5:
      return `+971 5${r.int(0, 8)} ${r.digits(3)} ${r.digits(4)}`;
    default:
      return `+65${r.pick(['8', '9'])}${r.digits(7)}`;
  }
}

export function email(r: Rng): string {
  const first = r.pick(['zhang', 'li.wei', 'anna', 'mike', 'wang_fang', 'chen', 'john.doe', 'sara', 'liu88', 'tom.k', 'xiaoyu', 'dmitri']);
  const domain = r.pick(['gmail.com', 'qq.com', '163.com', 'outlook.com', 'proton.me', 'yahoo.co.jp', 'example.com', 'foxmail.com', 'icloud.com']);
  return `${first}${r.chance(0.6) ? r.int(1, 9999) : ''}@${domain}`;
}

// --- API tokens ------------------------------------------------------------------------------------------------

export function apiToken(r: Rng): string {
  switch (r.int(0, 7)) {
    case 0: {
      const id = String(r.int(1, 9)) + r.digits(r.int(17, 18));
      return `${Buffer.from(id).toString('base64url')}.${r.chars(6, B64URL)}.${r.chars(r.int(27, 38), B64URL)}`;
    }
    case 1:
      return `${r.int(10000000, 9999999999)}:AA${r.chars(33, B64URL)}`;
    case 2:
      return 'ghp_' + r.chars(36, ALNUM);
    case 3:
      return `xoxb-${r.digits(12)}-${r.digits(13)}-${r.chars(24, ALNUM)}`;
    case 4:
      return 'AKIA' + r.chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
    case 5:
      return 'sk_live_' + r.chars(24, ALNUM);
    case 6:
      return 'sk-proj-' + r.chars(48, ALNUM + '_-');
    default:
      return 'AIza' + r.chars(35, B64URL);
  }
}

export const telegramBotToken = (r: Rng): string => `${r.int(10000000, 9999999999)}:AA${r.chars(33, B64URL)}`;
export const discordBotToken = (r: Rng): string => {
  const id = String(r.int(1, 9)) + r.digits(r.int(17, 18));
  return `${Buffer.from(id).toString('base64url')}.${r.chars(6, B64URL)}.${r.chars(r.int(27, 38), B64URL)}`;
};

/** Full-width digits and letters (one UTF-16 unit each, like the ASCII they replace), as Chinese IMEs type them. */
export const fullWidth = (s: string): string =>
  s.replace(/[0-9A-Za-z:]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
