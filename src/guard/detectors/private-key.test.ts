import { describe, expect, it } from 'vitest';
import { hex, keystoreJson, pemKey, Rng, solanaAddress, solanaKeypairJson, solanaSecret, solanaSignature, wif, xprv, xpub } from '../corpus/values.ts';
import { detect } from '../index.ts';
import { detectPrivateKeys, isEd25519Keypair } from './private-key.ts';
import { values } from './testing.ts';

const r = new Rng(7);
const keys = (text: string) => values(detectPrivateKeys, text);

describe('64-hex private keys wrapped over lines', () => {
  const spans = (text: string) => detect(text).map((f) => [f.type, text.slice(f.start, f.end)]);
  const k = '3f7c1e9b2d4a6f8e0c1b3d5f7a9e2c4b6d8f0a2c4e6b8d0f1a3c5e7b9d1f3a5c';
  const wrapped = `${k.slice(0, 32)}\n${k.slice(32)}`;

  it.each([
    ['私钥\n{w}', wrapped],
    ['private key:\n{w}', wrapped],
    ['private key:\n{w}', '0x' + wrapped],
    ['私鑰：\r\n{w}', `${k.slice(0, 32)}\r\n${k.slice(32)}`],
    ['my key (wrapped in three):\n{w}', `${k.slice(0, 20)}\n${k.slice(20, 42)}\n${k.slice(42)}`],
    ['exported key\n{w}\nwhy does it fail', `${k.slice(0, 50)}\n${k.slice(50)}`],
  ])('finds a labelled key wrapped over lines: %s', (template, value) => {
    const text = template.replace('{w}', value);
    expect(spans(text)).toEqual([['private_key', value]]);
  });

  it('takes the lines that hold 64 hex, not a longer hex line around them', () => {
    const commit = '9fceb02a1b2c3d4e5f60718293a4b5c6d7e8f901';
    expect(keys(`私钥\n${commit}\n${wrapped}`)).toEqual([wrapped]);
    expect(keys(`私钥\n${wrapped}\n${commit}`)).toEqual([wrapped]);
  });

  it.each([
    ['two commit hashes', '9fceb02a1b2c3d4e5f60718293a4b5c6d7e8f901\n0a1b2c3d4e5f60718293a4b5c6d7e8f9fceb02a1'],
    ['two commit hashes after a label', 'my key commits:\n9fceb02a1b2c3d4e5f60718293a4b5c6d7e8f901\n0a1b2c3d4e5f60718293a4b5c6d7e8f9fceb02a1'],
    ['two hex lines without a label', wrapped],
    ['a wrapped tx hash', `tx hash:\n${wrapped}`],
    ['checksums', `md5 of the two files:\n${wrapped}`],
    ['a key label, then a tx', `key question: why is this tx stuck?\n${wrapped}`],
    ['two lines of 48 hex after a label', `secret key:\n${k.slice(0, 48)}\n${k.slice(16)}`],
  ])('leaves alone: %s', (_, text) => {
    expect(spans(text)).toEqual([]);
  });
});

describe('64-hex private keys in space-separated groups', () => {
  const spans = (text: string) => detect(text).map((f) => [f.type, f.start, f.end, text.slice(f.start, f.end)]);
  const k = '4c0883a69102937d6231471b5dbb6204fe512961708279f2f3e2b1c9d8a7e6f5';
  const groups = (width: number, sep = ' ') => (k.match(new RegExp(`.{${width}}`, 'g')) ?? []).join(sep);

  it.each([
    ['private key: {g}', groups(32), 13],
    ['私钥 {g}', groups(32), 3],
    ['私钥：{g}', groups(8), 3],
    ['my key is {g} but import fails', groups(16), 10],
    ['私鑰\t{g}', groups(8, '\t'), 3],
    ['private key: 0x{g}', groups(32), 13],
    ['{g} is my private key', groups(32), 0],
  ])('finds a labelled key in groups: %s', (template, value, start) => {
    const text = template.replace('{g}', value);
    const key = template.includes('0x{g}') ? '0x' + value : value;
    expect(spans(text)).toEqual([['private_key', start, start + key.length, key]]);
  });

  it('reads no group longer than 32 as part of a spaced key', () => {
    // detectPrivateKeys alone: the api-token detector takes "secret key: <24 hex>" as a secret of its own.
    expect(keys(`secret key: ${k.slice(0, 24)} ${k.slice(24)}`)).toEqual([]);
  });

  it('takes the groups that hold 64 hex, not a longer group after them', () => {
    const commit = '9fceb02a1b2c3d4e5f60718293a4b5c6d7e8f901';
    expect(keys(`私钥 ${groups(32)} ${commit}`)).toEqual([groups(32)]);
    expect(keys(`私钥 ${commit} ${groups(32)}`)).toEqual([groups(32)]);
    expect(keys(`私钥 ${groups(8)} 9fceb02a`)).toEqual([groups(8)]);
  });

  it.each([
    ['two commit hashes', '9fceb02a1b2c3d4e5f60718293a4b5c6d7e8f901 0a1b2c3d4e5f60718293a4b5c6d7e8f9fceb02a1'],
    ['two commit hashes after "commit"', `commit ${groups(32)}`],
    ['eight short commits', `reverted commits ${groups(8)}`],
    ['a tx hash and an address', `${k} 0x52908400098527886e0f7030069857d2e4169ee7`],
    ['a tx hash and an address after "tx"', `tx ${k} 0x52908400098527886e0f7030069857d2e4169ee7`],
    ['two halves after "tx hash"', `tx hash: ${groups(32)}`],
    ['two halves after "hash"', `md5 hash ${groups(32)}`],
    ['groups without a label', groups(32)],
    ['8 × 8 without a label', groups(8)],
    ['three halves that are 96 hex, the first 64 cut inside a group', `key: ${k.slice(0, 20)} ${k.slice(20, 50)} ${k.slice(50)}${k.slice(0, 18)}`],
  ])('leaves alone: %s', (_, text) => {
    expect(spans(text)).toEqual([]);
  });
});

describe('64-hex private keys', () => {
  it.each([
    ['my private key is {k}'],
    ['私钥：{k}'],
    ['私钥　{k}'],
    ['PRIVKEY={k}'],
    ["here's the key for my old wallet {k}, can you recover it?"],
    ['secret key ->\n{k}'],
    ['{k}\nthis is my private key, metamask will not import it'],
    ['My private key (the one I exported from MetaMask last week) is {k}'],
  ])('flags a labelled key: %s', (template) => {
    const k = hex(r, 64);
    expect(keys(template.replace('{k}', k))).toEqual([k]);
    expect(keys(template.replace('{k}', '0x' + k.toUpperCase()))).toEqual(['0x' + k.toUpperCase()]);
  });

  it.each([
    ['tx hash {k} still pending'],
    ['交易哈希：0x{k}'],
    ['https://etherscan.io/tx/0x{k}'],
    ['https://tronscan.org/#/transaction/{k}'],
    ['txid: {k}'],
    ['sha256 of the installer: {k}'],
    ['block hash {k}'],
    ['0x{k} this tx failed, my private key is safe'],
    ['public key: {k}'],
    ['is this my public key or my address? 0x{k}'],
    ['the private key is not the same as the tx hash, e.g. 0x{k}'],
    ['api key: {k}'],
  ])('leaves a hash or public value alone: %s', (template) => {
    expect(keys(template.replace('{k}', hex(r, 64)))).toEqual([]);
  });

  it('does not flag a bare 64-hex string: without a label it is almost always a transaction id', () => {
    expect(keys(hex(r, 64))).toEqual([]);
    expect(keys(`0x${hex(r, 64)}`)).toEqual([]);
  });

  it('never flags public keys, addresses or longer hex', () => {
    expect(keys(`my key 02${hex(r, 64)}`)).toEqual([]); // compressed public key, 66 hex
    expect(keys(`my key 04${hex(r, 128)}`)).toEqual([]);
    expect(keys(`my key 0x${hex(r, 40)}`)).toEqual([]);
    expect(keys(`private key ${hex(r, 65)}`)).toEqual([]);
  });
});

describe('WIF and extended keys', () => {
  it('flags WIF keys whose base58check checksum is valid, with or without a label', () => {
    const compressed = wif(r, true);
    const uncompressed = wif(r, false);
    expect(compressed).toMatch(/^[KL]/);
    expect(uncompressed).toMatch(/^5/);
    expect(keys(`found in an old backup: ${compressed} and ${uncompressed}`)).toEqual([compressed, uncompressed]);
  });

  it('rejects a WIF-shaped string with a broken checksum', () => {
    const k = wif(r, true);
    const broken = k.slice(0, 20) + (k[20] === 'a' ? 'b' : 'a') + k.slice(21);
    expect(keys(`private key ${broken}`)).toEqual([]);
  });

  it('flags xprv but never xpub', () => {
    const prv = xprv(r);
    expect(keys(`my xprv is ${prv}`)).toEqual([prv]);
    expect(keys(`xpub: ${xpub(r)}`)).toEqual([]);
  });
});

describe('key blocks and Solana secrets', () => {
  it('flags a PEM block from BEGIN to END', () => {
    const pem = pemKey(r, 'EC PRIVATE KEY');
    expect(keys(`here is the file:\n${pem}\nthanks`)).toEqual([pem]);
  });

  it('flags an OpenSSH private key', () => {
    const pem = pemKey(r, 'OPENSSH PRIVATE KEY');
    expect(keys(pem)).toEqual([pem]);
  });

  it('flags a truncated block up to the end of its body', () => {
    const pem = pemKey(r, 'PRIVATE KEY');
    const truncated = pem.slice(0, pem.indexOf('-----END'));
    expect(keys(`${truncated}`)).toEqual([truncated]);
  });

  it('does not flag a public key block', () => {
    expect(keys(`-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----`)).toEqual([]);
  });

  it('flags Solana secret keys (base58 or a 64-byte array) whose halves are a real ed25519 key pair, label or not', () => {
    const secret = solanaSecret(r);
    expect(keys(`phantom private key: ${secret}`)).toEqual([secret]);
    expect(keys(secret)).toEqual([secret]);
    expect(keys(`is this right? ${secret} thanks`)).toEqual([secret]);
    const array = solanaKeypairJson(r);
    expect(keys(`id.json: ${array}`)).toEqual([array]);
    expect(keys(array.replace(/,/g, ', '))).toEqual([array.replace(/,/g, ', ')]);
  });

  it('leaves 64-byte signatures alone, even right after the words "private key"', () => {
    for (let i = 0; i < 20; i++) {
      const signature = solanaSignature(r);
      expect(keys(`they stole my private key ${signature}`)).toEqual([]);
      expect(keys(`private key: ${signature}`)).toEqual([]);
    }
    const bytes = `[${Array.from({ length: 64 }, (_, i) => (i * 37) % 256).join(',')}]`;
    expect(keys(`private key: ${bytes}`)).toEqual([]);
    expect(keys(`my key is ${solanaAddress(r)}`)).toEqual([]);
  });

  it('checks the key pair exactly: the RFC 8032 test vector, and one flipped bit', () => {
    const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
    const pub = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
    expect(isEd25519Keypair(Buffer.concat([seed, pub]))).toBe(true);
    pub[31]! ^= 1;
    expect(isEd25519Keypair(Buffer.concat([seed, pub]))).toBe(false);
  });

  it.each([
    ['MetaMask export gave me {k}'],
    ['exported from trust wallet: {k}'],
    ['私鑰：{k}'],
    ['秘密鍵 {k}'],
    ['개인 키 {k}'],
    ['clave privada: {k}'],
    ['clé privée {k}'],
    ['chiave privata: {k}'],
    ['chave privada {k}'],
  ])('flags 0x + 64 hex presented as an exported key: %s', (template) => {
    const k = '0x' + hex(r, 64);
    expect(keys(template.replace('{k}', k))).toEqual([k]);
  });

  it('leaves transaction hashes after the word "key" alone', () => {
    expect(keys(`I lost my key, but the tx hash is 0x${hex(r, 64)}`)).toEqual([]);
    expect(keys(`key question: why is tx 0x${hex(r, 64)} still pending?`)).toEqual([]);
    expect(keys(`私鑰沒有外洩，交易哈希是 0x${hex(r, 64)}`)).toEqual([]);
  });

  it('flags a pasted keystore JSON (compact, pretty or cut off), not other JSON', () => {
    const compact = keystoreJson(r);
    expect(keys(`keystore: ${compact} password: hunter2`)).toEqual([compact]);
    const pretty = keystoreJson(r, true);
    expect(keys(`here\n${pretty}\nthx`)).toEqual([pretty]);
    const cut = keystoreJson(r).slice(0, -20);
    expect(keys(`${cut}`)).toEqual([cut]);
    expect(keys(`{"result":{"transactionHash":"0x${hex(r, 64)}","kdf":"none"}}`)).toEqual([]);
    expect(detectPrivateKeys('{"ciphertext":"a","kdf":1,"mac":2} '.repeat(30_000)).length).toBe(30_000);
  });

  it('keeps UTF-16 offsets right after emoji', () => {
    const k = hex(r, 64);
    const text = `🔑🔑 private key ${k}`;
    const [f] = detectPrivateKeys(text);
    expect(f?.start).toBe(text.indexOf(k));
    expect(f?.end).toBe(text.length);
  });

  it('stays linear on adversarial input', () => {
    expect(detectPrivateKeys('-----BEGIN PRIVATE KEY-----\n'.repeat(40_000)).length).toBe(1);
    expect(detectPrivateKeys('0123456789abcdef'.repeat(60_000))).toEqual([]);
    expect(detectPrivateKeys('5KL9c'.repeat(200_000))).toEqual([]);
  });
});

describe('verification budget', () => {
  it('verifies the first key pairs of a text and lets the label decide past the budget, in bounded time', () => {
    const signatures = Array.from({ length: 200 }, () => solanaSignature(r));
    const key = solanaSecret(r);
    const t0 = Date.now();
    expect(keys(`${signatures.slice(0, 20).join('\n')}\n${key}`)).toEqual([key]);
    expect(keys(`${signatures.join('\n')}\nthose were all my transactions, thanks. private key: ${key}`)).toEqual([key]);
    expect(keys(signatures.join('\n'))).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
