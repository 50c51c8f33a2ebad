// The guard stage: what is stored and in which language the customer is warned.
import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../domain/types.ts';
import { DEFAULT_GUARD_POLICY } from '../guard/policy.ts';
import { guardMessage } from './guard.ts';

const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const post = (text: string, languageHint?: string): InboundMessage => ({
  platform: 'discord',
  connectorId: 'c1',
  externalId: 'm1',
  externalThreadId: 't1',
  channelId: 't1',
  visibility: 'public',
  author: { id: 'u1', languageHint },
  text,
  createdAt: new Date(0),
});

describe('guardMessage', () => {
  it('warns in Chinese for a Chinese message around an English recovery phrase', () => {
    const guarded = guardMessage(post(`我的助记词是 ${PHRASE} 帮帮我`, 'en-US'), DEFAULT_GUARD_POLICY);
    expect(guarded.text).toBe('我的助记词是 [seed_phrase removed] 帮帮我');
    expect(guarded.language).toBe('zh');
  });

  it('still warns in English for an English message, and masks invisible characters with the phrase', () => {
    const guarded = guardMessage(post(`my seed phrase: ${PHRASE.split(' ').join('\u200b ')}, please help`), DEFAULT_GUARD_POLICY);
    expect(guarded.text.startsWith('my seed phrase: [seed_phrase removed]')).toBe(true);
    for (const word of ['legal', 'winner', 'yellow', '\u200b']) expect(guarded.text).not.toContain(word);
    expect(guarded.language).toBe('en');
  });
});
