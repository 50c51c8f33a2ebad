// Private keys: 64-hex keys presented as keys (on one line, wrapped over lines or in space-separated groups), WIF and extended private keys (base58check-verified), PEM and
// OpenSSH key blocks, Solana secret keys (64 bytes in base58 or as a JSON array, verified: the last 32 bytes are
// the ed25519 public key of the first 32, which no signature or address satisfies), and Web3 keystore files
// (JSON with crypto.ciphertext, kdf and mac: the key, encrypted under a password customers paste alongside).
//
// A 64-hex string is far more often a transaction hash, block hash, file checksum or a 32-byte public key than a
// key, and nothing in the string tells them apart. So context decides: the nearest label before the value (or
// just after it) must say key/私钥/secret; a hash-like label (tx, hash, 交易哈希, an explorer URL…) or a public
// label wins ties. A bare 64-hex with no label at all is NOT flagged: in a wallet support inbox the unlabelled
// case is overwhelmingly a txid pasted on its own, and masking every txid would blind the agents.
// Public keys (66/130 hex), xpubs and addresses never match the shapes below.
import { createPrivateKey } from 'node:crypto';
import {
  base58CheckDecode,
  base58Decode,
  candidate,
  codeAt,
  firstMatch,
  isAsciiAlnum,
  labelVerdict,
  type Candidate,
  type Detector,
  withTraditional,
} from './util.ts';

const HEX_KEY = /(?<![0-9A-Za-z])(?:0[xX])?[0-9a-fA-F]{64}(?![0-9A-Za-z])/g;
// A 64-hex key wrapped over two to four lines ("私钥\n<32 hex>\n<32 hex>"): pieces of 8+ hex, one line break
// between each two, 64 hex in all (checked after the match). Taken, like a one-line hex key, only when labelled.
const WRAPPED_HEX = /(?<![0-9A-Za-z])(?:0[xX])?[0-9a-fA-F]{8,56}(?:[ \t]*\r?\n[ \t]*[0-9a-fA-F]{8,56}){1,3}(?![0-9A-Za-z])/g;
/** What every wrapped hex key holds: the pre-scan's keyHint (prescan.ts) tells whether a text has it, for the gate. */
export const WRAPPED_HEX_HINT = /[0-9a-fA-F]{8}[ \t]*\r?\n[ \t]*[0-9a-fA-F]{8}/;
// A 64-hex key written in groups on one line ("私钥 <32 hex> <32 hex>", "私钥：<8 hex> × 8"): groups of 8-32 hex, one
// space or tab between each two, 64 hex in all (checked after the match). Taken, like a one-line hex key, only when
// labelled: two commit hashes or a tx hash and an address have the same look but no key label.
const SPACED_HEX = /(?<![0-9A-Za-z])(?:0[xX])?[0-9a-fA-F]{8,32}(?:[ \t][0-9a-fA-F]{8,32}){1,7}(?![0-9A-Za-z])/g;
/** What every spaced hex key holds: the pre-scan's keyHint (prescan.ts) tells whether a text has it, for the gate. */
export const SPACED_HEX_HINT = /[0-9a-fA-F]{8}[ \t][0-9a-fA-F]{8}/;
const B58 = '1-9A-HJ-NP-Za-km-z';
const WIF = new RegExp(`(?<![${B58}])[5KL9c][${B58}]{50,51}(?![${B58}])`, 'g');
const EXTENDED = new RegExp(`(?<![${B58}])[xyztuvYZUV]prv[${B58}]{107}(?![${B58}])`, 'g');
const LONG_B58 = new RegExp(`(?<![${B58}])[${B58}]{80,90}(?![${B58}])`, 'g');
// A keypair file as solana-keygen writes it: a JSON array of 64 bytes. Nothing public has that shape.
const BYTE_ARRAY = /\[[ \t\n]{0,4}\d{1,3}(?:[ \t]{0,2},[ \t\n]{0,4}\d{1,3}){63}[ \t\n]{0,4}\]/g;
const PEM_BODY = /[A-Za-z0-9+/=\s:-]/;
const PEM_BEGIN = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/g;

/** Key pairs verified per text (see detectPrivateKeys); a chat message holds a few at most. */
const VERIFY_BUDGET = 64;
/** How far back a label may sit ("my private key, exported from MetaMask yesterday, is …"). */
const LABEL_WINDOW = 80;
const KEY_LABEL =
  withTraditional(
  /(?<![A-Za-z])(?:private[\s_-]*key|priv(?:[\s_-]*key)?|privkey|prv[\s_-]*key|pk|secret(?:[\s_-]*key)?|(?<!api[\s_-]?)key|export(?:ed|ing|s)?|clave\s+privada|cl[eé]\s+priv[eé]e|chiave\s+privata|chave\s+privada|soukrom[yý]\s+kl[ií][cč]|privat(?:e|er|en)?\s*schl[uü]ssel)(?![A-Za-z])|私钥|私匙|密钥|密匙|秘钥|秘密鍵|秘密キー|プライベートキー|개인\s*키|비밀\s*키|приватн\S*\s+ключ|секретн\S*\s+ключ/gi,
);
const NOT_KEY_LABEL =
  withTraditional(
  /(?<![A-Za-z])(?:tx(?:id|hash|n|[\s_-]*(?:id|hash))?|transaction(?:[\s_-]*(?:id|hash))?|hash(?:es)?|block(?:[\s_-]*(?:hash|id))?|checksum|sha-?256|sha-?3|keccak|md5|signature|sig|digest|commit|public[\s_-]*key|pub[\s_-]*key|pubkey|address|xpub|api[\s_-]*(?:key|secret|密钥)|order|uid)(?![A-Za-z])|\/tx\/|\/transaction\/|\/block\/|etherscan|bscscan|tronscan|polygonscan|arbiscan|blockchair|mempool\.space|blockstream|solscan|oklink|交易|哈希|区块|校验|签名|公钥|地址|订单/gi,
);

/** WIF: version 0x80 (mainnet) or 0xef (testnet), 32-byte key, optional 0x01 compression flag. */
function isWif(s: string): boolean {
  const payload = base58CheckDecode(s);
  if (!payload) return false;
  const version = payload[0];
  if (version !== 0x80 && version !== 0xef) return false;
  return payload.length === 33 || (payload.length === 34 && payload[33] === 0x01);
}

/** Extended private key: 78-byte payload whose key data starts with the 0x00 private-key marker. */
function isExtendedPrivate(s: string): boolean {
  const payload = base58CheckDecode(s);
  return payload !== null && payload.length === 78 && payload[45] === 0;
}

/**
 * Every hex, WIF, extended and base58 key shape is made of letters and digits only, bounded by characters outside
 * its alphabet, and at least 51 long: each match lies inside one maximal alphanumeric run of 51+ characters (a
 * token). Every grouped hex key (WRAPPED_HEX, SPACED_HEX) starts at the start of a run (its lookbehind), and its
 * first group is that whole run, followed by a blank. So one walk over the runs of the text (a plain loop: four
 * regex scans of the whole text cost several times more) finds the tokens, whose shapes are then matched inside
 * each token alone, and the runs where a grouped key may start, where its pattern is then tried (sticky). Matching
 * a shape against the token is the same as against the text: the characters around a token are not alphanumeric,
 * so no shape's boundary check can see a difference.
 */
const MIN_TOKEN = 51;
const WRAPPED_AT = new RegExp(WRAPPED_HEX.source, 'y');
const SPACED_AT = new RegExp(SPACED_HEX.source, 'y');

/** Key pairs still verified in the current text (see keypair()). */
let budget = 0;

export const detectPrivateKeys: Detector = (text) => {
  const out: Candidate[] = [];
  budget = VERIFY_BUDGET;
  const lines = text.includes('\n');
  // Where the search for the next wrapped or spaced key resumes (see findGroupedHexKey).
  let wrappedFrom = lines ? 0 : text.length;
  let spacedFrom = 0;
  for (let start = 0; start < text.length; ) {
    while (start < text.length && !isAsciiAlnum(text.charCodeAt(start))) start++;
    let end = start;
    while (end < text.length && isAsciiAlnum(text.charCodeAt(end))) end++;
    const length = end - start;
    if (length >= MIN_TOKEN) keysInToken(text, text.slice(start, end), start, out);
    if (length >= 8) {
      const next = codeAt(text, end);
      if (start >= wrappedFrom && length <= 58 && (next === 10 || next === 13 || next === 32 || next === 9)) {
        wrappedFrom = findGroupedHexKey(text, start, WRAPPED_AT, lineBreak, out);
      }
      if (start >= spacedFrom && length <= 34 && (next === 32 || next === 9)) {
        spacedFrom = findGroupedHexKey(text, start, SPACED_AT, spaceOrTab, out);
      }
    }
    start = end;
  }
  for (let m = firstMatch(BYTE_ARRAY, text); m; m = BYTE_ARRAY.exec(text)) {
    const end = m.index + m[0].length;
    const bytes = byteArray(m[0]);
    if (bytes && keypair(text, bytes, m.index, end)) out.push(candidate('private_key', m.index, end));
  }
  findPemBlocks(text, out);
  if (text.includes('iphertext')) findKeystores(text, out);
  return out;
};

/**
 * The numbers of a JSON array of small numbers (BYTE_ARRAY), or null when one of them is not a byte. A plain loop:
 * map() and every() here made arrays of another elements kind once detectPrivateKeys was optimized, which threw
 * it away again in every scan thread.
 */
function byteArray(json: string): Uint8Array | null {
  const numbers = json.match(/\d+/g) ?? [];
  const bytes = new Uint8Array(numbers.length);
  for (let i = 0; i < numbers.length; i++) {
    const b = Number(numbers[i]);
    if (b > 255) return null;
    bytes[i] = b;
  }
  return bytes;
}

/** Keys inside `token`, which starts at offset `at` of the text (see LONG_TOKEN). */
function keysInToken(text: string, token: string, at: number, out: Candidate[]): void {
  for (let m = firstMatch(HEX_KEY, token); m; m = HEX_KEY.exec(token)) {
    const start = at + m.index;
    const end = start + m[0].length;
    if (labelVerdict(text, start, end, KEY_LABEL, NOT_KEY_LABEL, LABEL_WINDOW) === 'positive') {
      out.push(candidate('private_key', start, end, true));
    }
  }
  for (let m = firstMatch(WIF, token); m; m = WIF.exec(token)) {
    if (isWif(m[0])) out.push(candidate('private_key', at + m.index, at + m.index + m[0].length));
  }
  for (let m = firstMatch(EXTENDED, token); m; m = EXTENDED.exec(token)) {
    if (isExtendedPrivate(m[0])) out.push(candidate('private_key', at + m.index, at + m.index + m[0].length));
  }
  // A 64-byte ed25519 keypair (Solana exports) is 86-88 base58 characters or a JSON array; a transaction
  // signature has the same shape, so the key pair itself must check out, whatever the words around it say.
  for (let m = firstMatch(LONG_B58, token); m; m = LONG_B58.exec(token)) {
    const start = at + m.index;
    const end = start + m[0].length;
    const bytes = base58Decode(m[0]);
    if (bytes && bytes.length === 64 && keypair(text, bytes, start, end)) out.push(candidate('private_key', start, end));
  }
}

/**
 * Whether the 64 bytes at [start, end) are an ed25519 key pair. Checking costs a scalar multiplication (tens of
 * microseconds): past VERIFY_BUDGET candidates in one text (thousands of signatures pasted at once), the label
 * decides instead, which keeps the time per byte bounded.
 */
function keypair(text: string, bytes: Uint8Array, start: number, end: number): boolean {
  return budget-- > 0 ? isEd25519Keypair(bytes) : labelVerdict(text, start, end, KEY_LABEL, NOT_KEY_LABEL, LABEL_WINDOW) === 'positive';
}

/** Whether bytes[32..64) is the ed25519 public key (RFC 8032) of the seed bytes[0..32) (a Solana keypair). */
export function isEd25519Keypair(bytes: Uint8Array): boolean {
  if (bytes.length !== 64) return false;
  const seed = Buffer.from(bytes.buffer, bytes.byteOffset, 32);
  const claimed = Buffer.from(bytes.buffer, bytes.byteOffset + 32, 32).toString('base64url');
  // Imported as a JWK, the key is built straight from the raw seed; the PKCS#8 (DER) route goes through OpenSSL's
  // decoders and measured ten times slower. The `x` given is not trusted: the exported `x` is derived from `d`.
  const key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: claimed }, format: 'jwk' });
  return key.export({ format: 'jwk' }).x === claimed;
}

/**
 * A labelled 64-hex key written in groups at `start`: wrapped over lines (WRAPPED_AT; `newGroup` a line break, other
 * blanks ignored) or spaced on one line (SPACED_AT; `newGroup` a space or tab). One-group keys are found in
 * keysInToken. The first groups of a match that hold 64 hex in all are the key. Returns where the search for the
 * next one resumes: after the key, or when there is none, at the match's second group (a key may follow a longer
 * group), so every group is read a bounded number of times.
 */
function findGroupedHexKey(text: string, start: number, pattern: RegExp, newGroup: (c: number) => boolean, out: Candidate[]): number {
  pattern.lastIndex = start;
  const m = pattern.exec(text);
  if (!m) return start + 1;
  const match = m[0];
  let hexDigits = /^0[xX]/.test(match) ? -2 : 0;
  let end = -1;
  let secondGroup = -1;
  for (let i = 0; i < match.length && hexDigits <= 64; i++) {
    const c = match.charCodeAt(i);
    if (newGroup(c)) {
      if (secondGroup < 0) secondGroup = i + 1;
    } else if (c !== 32 && c !== 9 && c !== 13 && ++hexDigits === 64 && secondGroup > 0) {
      end = i + 1;
    }
  }
  // 64 hex that end inside a group are not a key's groups.
  if (end < 0 || /[0-9A-Za-z]/.test(match[end] ?? '')) return start + secondGroup;
  if (labelVerdict(text, start, start + end, KEY_LABEL, NOT_KEY_LABEL, LABEL_WINDOW) === 'positive') {
    out.push(candidate('private_key', start, start + end, true));
  }
  return start + end;
}
const lineBreak = (c: number) => c === 10;
const spaceOrTab = (c: number) => c === 32 || c === 9;

const KEYSTORE_PARTS = [/"ciphertext"/i, /"kdf"/i, /"mac"/i];

/**
 * Web3 secret-storage (keystore) JSON: the object around a "ciphertext" field that also holds "kdf" and "mac".
 * Brace matching is one pass over the text with a stack (strings skipped), so many keystores stay linear.
 */
function findKeystores(text: string, out: Candidate[]): void {
  const stack: number[] = [];
  let inString = false;
  let lastEnd = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    if (c === 123) stack.push(i);
    else if (c === 125 && stack.length) {
      const open = stack.pop()!;
      // Only the outermost object is reported: the keystore with its address and id.
      if (stack.length === 0 && open > lastEnd) {
        const body = text.slice(open, i + 1);
        if (KEYSTORE_PARTS.every((re) => re.test(body))) {
          out.push(candidate('private_key', open, i + 1));
          lastEnd = i;
        }
      }
    }
  }
  // A paste cut off before its closing brace: from the outermost open brace to the end.
  const open = stack[0];
  if (open !== undefined && open > lastEnd) {
    const body = text.slice(open);
    if (KEYSTORE_PARTS.every((re) => re.test(body))) out.push(candidate('private_key', open, text.length));
  }
}

/** PEM/OpenSSH/PGP private key blocks, from BEGIN through END (or through the body if END is missing). */
function findPemBlocks(text: string, out: Candidate[]): void {
  // The next END is searched for only when the previous one has been passed, so many BEGINs stay linear.
  let nextEnd = -2;
  for (let m = firstMatch(PEM_BEGIN, text); m; m = PEM_BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    if (nextEnd === -2 || (nextEnd >= 0 && nextEnd < bodyStart)) nextEnd = text.indexOf('-----END ', bodyStart);
    let end: number;
    if (nextEnd >= 0) {
      const close = text.indexOf('-----', nextEnd + 9);
      end = close >= 0 && close - nextEnd < 80 ? close + 5 : nextEnd + 9;
    } else {
      end = bodyStart;
      while (end < text.length && PEM_BODY.test(text[end] ?? '')) end++;
    }
    out.push(candidate('private_key', m.index, end));
    PEM_BEGIN.lastIndex = Math.max(PEM_BEGIN.lastIndex, end);
  }
}
