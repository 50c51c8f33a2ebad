// Stage 3: find sensitive data and mask it before anything is stored. What leaves this stage is the only text
// the rest of the system ever sees.
import type { Finding, InboundMessage } from '../domain/types.ts';
import { detect } from '../guard/index.ts';
import { detectLanguage } from '../guard/language.ts';
import { maskText } from '../guard/mask.ts';
import { mustMask, type GuardPolicy } from '../guard/policy.ts';

export interface StoredFinding extends Finding {
  /** Whether the span in the stored text is a placeholder (true) or the original value (false). */
  masked: boolean;
}

export interface GuardedMessage {
  message: InboundMessage;
  /** The masked text: safe to store, log-free all the same. */
  text: string;
  findings: StoredFinding[];
  language: 'zh' | 'en';
}

export function guardMessage(message: InboundMessage, policy: GuardPolicy): GuardedMessage {
  const found = detect(message.text);
  const shouldMask = (f: Finding) => mustMask(policy, f.type, message.visibility);
  const masked = maskText(message.text, found, shouldMask);
  return {
    // The raw text goes no further than this object; `raw` payloads are dropped here too.
    message: { ...message, text: '', raw: undefined },
    text: masked.text,
    findings: masked.findings.map((f, i) => ({ ...f, masked: shouldMask(found[i]!) })),
    language: detectLanguage(message.text, message.author.languageHint, found),
  };
}
