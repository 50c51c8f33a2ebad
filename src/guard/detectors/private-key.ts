// Private keys: 64-hex keys presented as keys, WIF and extended private keys (base58check-verified), PEM and
// OpenSSH key blocks, and Solana-style secret keys (labelled base58, or a 64-byte JSON array).
//
// A 64-hex string is far more often a transaction hash, block hash, file checksum or a 32-byte public key than a
// key, and nothing in the string tells them apart. So context decides: the nearest label before the value (or
// just after it) must say key/私钥/secret; a hash-like label (tx, hash, 交易哈希, an explorer URL…) or a public
// label wins ties. A bare 64-hex with no label at all is NOT flagged: in a wallet support inbox the unlabelled
// case is overwhelmingly a txid pasted on its own, and masking every txid would blind the agents.
// Public keys (66/130 hex), xpubs and addresses never match the shapes below.
import { base58CheckDecode, base58Decode, candidate, labelVerdict, matches, type Candidate, type Detector } from './util.ts';

const HEX_KEY = /(?<![0-9A-Za-z])(?:0[xX])?[0-9a-fA-F]{64}(?![0-9A-Za-z])/g;
const B58 = '1-9A-HJ-NP-Za-km-z';
const WIF = new RegExp(`(?<![${B58}])[5KL9c][${B58}]{50,51}(?![${B58}])`, 'g');
const EXTENDED = new RegExp(`(?<![${B58}])[xyztuvYZUV]prv[${B58}]{107}(?![${B58}])`, 'g');
const LONG_B58 = new RegExp(`(?<![${B58}])[${B58}]{80,90}(?![${B58}])`, 'g');
// A keypair file as solana-keygen writes it: a JSON array of 64 bytes. Nothing public has that shape.
const BYTE_ARRAY = /\[[ \t\n]{0,4}\d{1,3}(?:[ \t]{0,2},[ \t\n]{0,4}\d{1,3}){63}[ \t\n]{0,4}\]/g;
const PEM_BODY = /[A-Za-z0-9+/=\s:-]/;
const PEM_BEGIN = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/g;

/** How far back a label may sit ("my private key, exported from MetaMask yesterday, is …"). */
const LABEL_WINDOW = 80;
const KEY_LABEL =
  /(?<![A-Za-z])(?:private[\s_-]*key|priv(?:[\s_-]*key)?|privkey|prv[\s_-]*key|pk|secret(?:[\s_-]*key)?|(?<!api[\s_-]?)key)(?![A-Za-z])|私钥|私匙|密钥|密匙|秘钥/gi;
const NOT_KEY_LABEL =
  /(?<![A-Za-z])(?:tx(?:id|hash|n|[\s_-]*(?:id|hash))?|transaction(?:[\s_-]*(?:id|hash))?|hash(?:es)?|block(?:[\s_-]*(?:hash|id))?|checksum|sha-?256|sha-?3|keccak|md5|signature|sig|digest|commit|public[\s_-]*key|pub[\s_-]*key|pubkey|address|xpub|api[\s_-]*(?:key|secret|密钥)|order|uid)(?![A-Za-z])|\/tx\/|\/transaction\/|\/block\/|etherscan|bscscan|tronscan|polygonscan|arbiscan|blockchair|mempool\.space|blockstream|solscan|oklink|交易|哈希|区块|校验|签名|公钥|地址|订单/gi;

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

export const detectPrivateKeys: Detector = (text) => {
  const out: Candidate[] = [];
  for (const m of matches(HEX_KEY, text)) {
    const end = m.index + m[0].length;
    if (labelVerdict(text, m.index, end, KEY_LABEL, NOT_KEY_LABEL, LABEL_WINDOW) === 'positive') {
      out.push(candidate('private_key', m.index, end, true));
    }
  }
  for (const m of matches(WIF, text)) {
    if (isWif(m[0])) out.push(candidate('private_key', m.index, m.index + m[0].length));
  }
  for (const m of matches(EXTENDED, text)) {
    if (isExtendedPrivate(m[0])) out.push(candidate('private_key', m.index, m.index + m[0].length));
  }
  for (const m of matches(LONG_B58, text)) {
    // A 64-byte ed25519 keypair (Solana exports) is 86-88 base58 characters; only trusted when labelled.
    const end = m.index + m[0].length;
    if (labelVerdict(text, m.index, end, KEY_LABEL, NOT_KEY_LABEL, LABEL_WINDOW) !== 'positive') continue;
    const bytes = base58Decode(m[0]);
    if (bytes && bytes.length === 64) out.push(candidate('private_key', m.index, end, true));
  }
  for (const m of matches(BYTE_ARRAY, text)) {
    if (m[0].match(/\d+/g)?.every((b) => Number(b) < 256)) out.push(candidate('private_key', m.index, m.index + m[0].length));
  }
  findPemBlocks(text, out);
  return out;
};

/** PEM/OpenSSH/PGP private key blocks, from BEGIN through END (or through the body if END is missing). */
function findPemBlocks(text: string, out: Candidate[]): void {
  // The next END is searched for only when the previous one has been passed, so many BEGINs stay linear.
  let nextEnd = -2;
  for (const m of matches(PEM_BEGIN, text)) {
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
