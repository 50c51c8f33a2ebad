// Stage 3: find sensitive data and mask it before anything is stored. What leaves this stage is the only text
// the rest of the system ever sees.
import type { Finding, InboundMessage, PlatformUserRef, Visibility } from '../domain/types.ts';
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

/**
 * Guards one message before it is stored: its text, and the display names and handles of its author and
 * recipient (a customer can put a password or a card number in a profile name, and names are stored in Contact,
 * ContactIdentity and Message.authorName and searched), each masked as its text would be.
 */
export function guardMessage(message: InboundMessage, policy: GuardPolicy): GuardedMessage {
  const found = detect(message.text);
  const shouldMask = (f: Finding) => mustMask(policy, f.type, message.visibility);
  const masked = maskText(message.text, found, shouldMask);
  return {
    // The raw text goes no further than this object; `raw` payloads are dropped here too. Nor do raw names.
    message: {
      ...message,
      text: '',
      raw: undefined,
      author: guardUser(message.author, message.visibility, policy),
      ...(message.recipient ? { recipient: guardUser(message.recipient, message.visibility, policy) } : {}),
    },
    text: masked.text,
    findings: masked.findings.map((f, i) => ({ ...f, masked: shouldMask(found[i]!) })),
    language: detectLanguage(message.text, message.author.languageHint, found),
  };
}

/**
 * A platform user with what the guard finds in their display name and handle masked as in a message of the same
 * visibility. Only masking: a name is the customer's profile, not a post that could be removed, and its findings
 * are not stored (a Finding belongs to a message's text).
 */
function guardUser(user: PlatformUserRef, visibility: Visibility, policy: GuardPolicy): PlatformUserRef {
  const guard = (name: string | undefined) => {
    if (!name) return name;
    const found = detect(name);
    return found.length ? maskText(name, found, (f) => mustMask(policy, f.type, visibility)).text : name;
  };
  const displayName = guard(user.displayName);
  const handle = guard(user.handle);
  return displayName === user.displayName && handle === user.handle ? user : { ...user, displayName, handle };
}
