import { describe, expect, it } from 'vitest';
import { ALNUM, apiToken, discordBotToken, Rng, telegramBotToken } from '../corpus/values.ts';
import { detectApiTokens } from './api-token.ts';
import { values } from './testing.ts';

const r = new Rng(17);
const tokens = (text: string) => values(detectApiTokens, text);

describe('API tokens', () => {
  it('finds every provider format without a label', () => {
    for (let i = 0; i < 100; i++) {
      const t = apiToken(r);
      expect(tokens(`oops, pushed ${t} to github`)).toEqual([t]);
    }
  });

  it('finds Discord and Telegram bot tokens', () => {
    const discord = discordBotToken(r);
    const telegram = telegramBotToken(r);
    expect(tokens(`discord: ${discord}\ntelegram: ${telegram}`)).toEqual([discord, telegram]);
  });

  it('checks that a Discord token starts with a base64 user id', () => {
    expect(tokens('MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhJkLm.abcdefghijklmnopqrstuvwxyz12')).toHaveLength(1);
    expect(tokens('MTIzNDU2Nzg5MGFiY2RlZmdoaQ.GhJkLm.abcdefghijklmnopqrstuvwxyz12')).toEqual([]);
  });

  it.each(['API key: {v}', 'API密钥：{v}', 'api_secret={v}', 'secret: {v}', 'access token is {v}', 'Authorization: Bearer {v}'])(
    'finds a labelled value: %s',
    (template) => {
      const v = r.chars(32, ALNUM) + '9z';
      expect(tokens(template.replace('{v}', v))).toEqual([v]);
    },
  );

  it.each([
    'token: USDT',
    'token contract: 0xdAC17F958D2ee523a2206206994597C13D831ec7',
    'sk-test does not work in the sandbox',
    'my API key was rejected, how do I create a new one?',
    'publishable key pk_live_51HxYzAbCdEfGhIjKlMnOp',
    'secret: I will not tell anyone',
    'token address TXYZabcdefghijkmnopqrstuvwxyz1234',
  ])('leaves %j alone', (text) => {
    expect(tokens(text)).toEqual([]);
  });

  it('keeps UTF-16 offsets right after emoji', () => {
    const t = 'ghp_' + r.chars(36, ALNUM);
    const text = `🤖🤖 ${t}`;
    expect(detectApiTokens(text)[0]).toMatchObject({ start: 5, end: text.length });
  });

  it('stays linear on adversarial input', () => {
    expect(detectApiTokens('eyJ'.repeat(300_000))).toEqual([]);
    expect(detectApiTokens('api key: '.repeat(100_000))).toEqual([]);
    expect(detectApiTokens('1234567890:'.repeat(100_000))).toEqual([]);
  });
});
