// Ordinary support traffic for the guard's benchmarks: what most messages look like (no secrets), in English
// and Chinese, sometimes several paragraphs long.
import type { Rng } from '../src/guard/corpus/values.ts';

const ORDINARY_EN = [
  'hi, my withdrawal has been pending for 3 hours, can you check?',
  'Why is the gas fee so high today? I only want to send 20 USDT.',
  'The app crashes when I open the swap page on Android 14, version 3.12.4.',
  'thanks for the quick help yesterday, everything works now 👍',
  'Is staking available for SOL? What is the current APY and the lock period?',
  'I sent ETH to the wrong network (BSC instead of Ethereum). Can it be recovered?',
  'When will you list the new token? The community has been asking for weeks.',
  'my balance shows 0 after the update but the explorer shows the funds are still there',
];
const ORDINARY_ZH = [
  '你好，提现已经三个小时了还没到账，帮忙看一下',
  '为什么今天手续费这么高？我只想转 20 USDT',
  '打开兑换页面就闪退，安卓14，版本 3.12.4',
  '昨天的问题已经解决了，谢谢客服 👍',
  'SOL 可以质押吗？现在年化多少，锁仓多久？',
  '我把 ETH 转错网络了（转到了 BSC），还能找回吗？',
  '新币什么时候上线？群里大家都在问',
  '更新之后余额显示为0，但是区块浏览器上能看到资产还在',
];

/** `count` ordinary messages; one in ten is several paragraphs pasted together. */
export function ordinaryTraffic(r: Rng, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const pool = r.chance(0.5) ? ORDINARY_EN : ORDINARY_ZH;
    const paragraphs = [r.pick(pool)];
    // Some customers write long messages: paste a few paragraphs together.
    if (r.chance(0.1)) for (let k = r.int(3, 20); k > 0; k--) paragraphs.push(r.pick(pool));
    // Joined at once, so the text is one flat string like every message that arrives (a string grown by `+=`
    // stays a chain of pieces in V8, and reading it character by character costs about a third more).
    out.push(paragraphs.join('\n'));
  }
  return out;
}

