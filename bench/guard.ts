// Guard throughput, in process: detect() + maskText() over the labelled corpus mixed with ordinary support
// traffic, the slowest message, and the time for 1 MB adversarial inputs. Prints figures; never fails on time.
// Run: npm run bench:guard   (or npx tsx bench/guard.ts)
import { performance } from 'node:perf_hooks';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as chinese } from '@scure/bip39/wordlists/simplified-chinese.js';
import { detect } from '../src/guard/index.ts';
import { maskText } from '../src/guard/mask.ts';
import { DEFAULT_CORPUS, loadCorpus } from '../src/guard/evaluate.ts';
import { BIP39_LISTS, Rng, solanaSignature } from '../src/guard/corpus/values.ts';
import { MONERO_ENGLISH } from '../src/guard/wordlists/index.ts';
import { ordinaryTraffic } from './traffic.ts';

/** One timed pass: detect() + maskText() over every message, nothing else in the loop. */
function run(messages: string[]): number {
  const t0 = performance.now();
  for (const text of messages) maskText(text, detect(text), () => true);
  return (performance.now() - t0) / 1000;
}

/** The slowest message of a pass, timed one by one (a separate pass: per-message timers cost more than a message). */
function slowest(messages: string[]): { ms: number; text: string } {
  let worst = { ms: 0, text: '' };
  for (const text of messages) {
    const s = performance.now();
    maskText(text, detect(text), () => true);
    const ms = performance.now() - s;
    if (ms > worst.ms) worst = { ms, text };
  }
  return worst;
}

const MB = 1 << 20;
const repeat = (unit: string, size = MB): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

const VALID = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const SIGNATURE = solanaSignature(new Rng(3));
const HEX32 = '3f7c1e9b2d4a6f8e0c1b3d5f7a9e2c4b';

function adversarial(r: Rng): [string, string][] {
  const randomWords = (list: readonly string[], sep: string) => {
    const parts: string[] = [];
    let length = 0;
    while (length < MB) {
      const w = r.pick(list);
      parts.push(w);
      length += w.length + sep.length;
    }
    return parts.join(sep).slice(0, MB);
  };
  return [
    ['digits ×1M', repeat('1')],
    ['"1 " ×512k (digit groups)', repeat('1 ')],
    ['"4111 " ×200k', repeat('4111 ')],
    ['"a"×1M + "@"', repeat('a', MB - 1) + '@'],
    ['"a@" ×512k', repeat('a@')],
    ['hex ×1M', repeat('0123456789abcdef')],
    ['base58 ×1M', repeat('5KLc9xprvYZ123456789ABCDEFGHJKLMNP')],
    ['English BIP39 words, random', randomWords(english, ' ')],
    ['"abandon " ×128k', repeat('abandon ')],
    ['Chinese BIP39 chars, dense', randomWords(chinese, '')],
    ['Chinese BIP39 chars, spaced', randomWords(chinese, ' ')],
    ['"助记词" ×350k', repeat('助记词')],
    ['"seed phrase " ×85k', repeat('seed phrase ')],
    ['"password: " ×100k', repeat('password: ')],
    ['"密码是" ×350k', repeat('密码是')],
    ['"验证码 " ×250k', repeat('验证码 ')],
    ['"code is 1" ×100k', repeat('code is 1')],
    ['"-----BEGIN PRIVATE KEY-----" ×38k', repeat('-----BEGIN PRIVATE KEY-----\n')],
    ['"+1 " ×350k', repeat('+1 ')],
    ['spaces ×1M', repeat(' ')],
    ['"eyJ" ×350k', repeat('eyJ')],
    ['"api key: " ×100k', repeat('api key: ')],
    ['emoji ×512k', repeat('😀')],
    ['full-width digits ×1M', repeat('１２３４')],
    ['Spanish BIP39 words, random', randomWords(BIP39_LISTS.es, ' ')],
    ['Japanese BIP39 words, ideographic space', randomWords(BIP39_LISTS.ja, '\u3000')],
    ['Korean BIP39 words, random', randomWords(BIP39_LISTS.ko, ' ')],
    ['Traditional Chinese BIP39, dense', randomWords(BIP39_LISTS['zh-Hant'], '')],
    ['Monero words, random', randomWords(MONERO_ENGLISH, ' ')],
    ['kana ×1M, no spaces', repeat('あいこくしん')],
    ['"> " quoted list words', repeat('> abandon\n')],
    ['list words with typos between', randomWords(english, ' xqzz ')],
    ['"1. word" numbered ×100k', repeat('1. abandon ')],
    ['valid phrase ×13k, "is" between', repeat(VALID + ' is ')],
    ['"{" ×1M', repeat('{')],
    ['keystore-ish objects', repeat('{"ciphertext":"a","kdf":1,"mac":2} ')],
    ['"\\"" in braces', repeat('{"\\"')],
    ['64-byte base58 ×11k', repeat(SIGNATURE + ' ')],
    ['"0 1 2 3" spaced digits', repeat('0 1 2 3 ')],
    ['"the password I set is " ×45k', repeat('the password I set is ')],
    ['"code X sent me is 1" ×40k', repeat('code X sent me is 1')],
    ['"身分證字號 A" ×100k', repeat('身分證字號 A')],
    ['"4111." dotted groups ×200k', repeat('4111.')],
    ['"4111.1111 " ×100k', repeat('4111.1111 ')],
    ['"ref A1B2C3: <card> " ×30k', repeat('ref A1B2C3: 4111 1111 1111 1111 ')],
    ['"utf8 " + card ×40k', repeat('utf8 4111111111111111 ')],
    ['hex lines of 32 ×32k', repeat(`${HEX32}\n`)],
    ['"key:" + hex wrapped in two ×15k', repeat(`key:\n${HEX32}\n${HEX32}\n`)],
    ['"助记词第一部分：" + words ×60k', repeat('助记词第一部分：块 勇 ')],
    ['colons between Han ×260k', repeat('块：勇：')],
    ['"part 2: " + list word ×65k', `seed phrase ${repeat('part 2: abandon ')}`],
    ['"hello world " ×87k', repeat('hello world ')],
    ['"4111_" underscored groups ×200k', repeat('4111_')],
    ['"bob_" + card with underscores ×40k', repeat('bob_4111_1111_1111_1111 ')],
    ['"a_1_" snake_case digits ×250k', repeat('a_1_')],
    ['hex groups of 8, spaced ×115k', repeat(`${HEX32.slice(0, 8)} `)],
    ['"key: " + hex in two groups ×15k', repeat(`key: ${HEX32} ${HEX32} `)],
    ['"私钥：" + hex in 8 groups ×14k', repeat(`私钥：${`${HEX32.slice(0, 8)} `.repeat(8)}`)],
  ];
}

function main(): void {
  const r = new Rng(7);
  if (!process.argv.includes('--adversarial')) traffic(r);
  console.log('adversarial inputs (1 MB each; time for detect()):');
  for (const [name, text] of adversarial(r)) {
    const t0 = performance.now();
    const findings = detect(text);
    const ms = performance.now() - t0;
    console.log(`  ${name.padEnd(40)} ${ms.toFixed(1).padStart(8)} ms  (${findings.length} findings)`);
  }
}

function traffic(r: Rng): void {
  const corpus = loadCorpus(DEFAULT_CORPUS).map((m) => m.text);
  const messages = [...corpus, ...ordinaryTraffic(r, 20_000)];
  for (let i = messages.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [messages[i], messages[j]] = [messages[j] ?? '', messages[i] ?? ''];
  }
  const bytes = messages.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  // A long-running worker sees warm code: one full pass first, so the JIT (and regexp tier-up) has settled.
  run(messages);
  // Seven passes: the best shows what the code can do, the median how much a busy machine takes off it. The CPU
  // time of each pass is measured too: on a shared machine it moves far less than the wall clock.
  const passes = Array.from({ length: 7 }, () => {
    const c0 = process.cpuUsage();
    const seconds = run(messages);
    const cpu = process.cpuUsage(c0);
    return { seconds, cpu: (cpu.user + cpu.system) / 1e6 };
  }).sort((a, b) => a.seconds - b.seconds);
  const mb = bytes / MB;
  const rates = passes.map((p) => mb / p.seconds);
  const cpuRates = passes.map((p) => mb / p.cpu).sort((a, b) => b - a);
  const worst = slowest(messages);
  console.log(`mixed traffic: ${messages.length} messages (${corpus.length} from the corpus), ${mb.toFixed(2)} MB`);
  console.log(
    `  throughput  best ${rates[0]!.toFixed(1)} MB/s (${Math.round(messages.length / passes[0]!.seconds)} messages/s), median ${rates[3]!.toFixed(1)}, worst ${rates[6]!.toFixed(1)} MB/s (7 warm passes, wall clock)`,
  );
  console.log(`  per CPU     best ${cpuRates[0]!.toFixed(1)}, median ${cpuRates[3]!.toFixed(1)} MB per CPU-second`);
  console.log(
    `  slowest     ${worst.ms.toFixed(2)} ms for a ${worst.text.length}-char message: ${JSON.stringify(worst.text.slice(0, 60))}…`,
  );
}

main();
