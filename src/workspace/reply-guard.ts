// The guard on agents' replies. Support never sends a recovery phrase, private key, password, one-time code,
// card or bank number, in public or in private: such a reply is refused (422 `secret_in_reply`) before anything
// is stored or queued. Anything else the guard policy masks in this kind of conversation is refused too (a
// customer's phone number or email in a public reply, an ID number, an API token), since what is stored must
// be masked by the same policy as inbound text and what is stored is what goes out. Phone numbers and emails
// stay allowed in private replies under the default policy.
import { NEVER_SENT_TYPES, type FindingType, type Visibility } from '../api/contract.ts';
import { HttpError } from '../api/errors.ts';
import type { Finding } from '../domain/types.ts';
import { detect } from '../guard/index.ts';
import { maskText, type MaskResult } from '../guard/mask.ts';
import { mustMask, type GuardPolicy } from '../guard/policy.ts';

export interface ReplyCheck {
  /** Offsets into the text as written. */
  findings: Finding[];
  /** Types that refuse the reply, in order of first appearance; empty means it may go out. */
  blocked: FindingType[];
  /** The text as it would be stored, with its findings ({...masked} per finding). */
  masked: { text: string; findings: Array<Finding & { masked: boolean }> };
}

const NEVER: ReadonlySet<FindingType> = new Set(NEVER_SENT_TYPES);

export function checkReply(text: string, visibility: Visibility, policy: GuardPolicy): ReplyCheck {
  const findings = detect(text);
  const shouldMask = (f: Finding) => mustMask(policy, f.type, visibility);
  const blocked = [...new Set(findings.filter((f) => NEVER.has(f.type) || shouldMask(f)).map((f) => f.type))];
  const result: MaskResult = maskText(text, findings, shouldMask);
  return {
    findings,
    blocked,
    masked: { text: result.text, findings: result.findings.map((f, i) => ({ ...f, masked: shouldMask(findings[i]!) })) },
  };
}

const NAMES: Record<FindingType, string> = {
  seed_phrase: 'a recovery phrase',
  private_key: 'a private key',
  password: 'a password',
  otp: 'a one-time code',
  payment_card: 'a card number',
  bank_account: 'a bank account number',
  national_id: 'an ID number',
  api_token: 'an API token',
  phone: 'a phone number',
  email: 'an email address',
};

const joinAnd = (parts: string[]) => (parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`);

/** The finding types as words for a sentence: "a card number and a one-time code". */
export const findingNames = (types: FindingType[]): string => joinAnd(types.map((t) => NAMES[t]));

/**
 * What was refused: a reply, a canned response, or guard-policy templates (each path, e.g. `templates.en.dm.otp`,
 * with the types it holds).
 */
export type RefusedText = { kind: 'reply' } | { kind: 'canned_response' } | { kind: 'template'; templates: Record<string, FindingType[]> };

const templatesSentence = (paths: string[]): [string, string] => [`Template ${paths[0]}${paths.length > 1 ? ` (and ${paths.length - 1} more)` : ''}`, 'save again'];

/**
 * The 422 `secret_in_reply` for a text holding secrets of `types`. `fields.types` lists them (kept for clients that
 * read it there); `details` says the same as data: `{types, subject: 'reply' | 'canned_response' | 'template',
 * never: boolean (a type support never sends), templates?: {path: the types it holds}}`.
 */
export function secretInReply(types: FindingType[], refused: RefusedText = { kind: 'reply' }): HttpError {
  const never = types.some((t) => NEVER.has(t));
  const why = never ? 'Support never sends these' : 'These are not shown in this conversation';
  const [what, retry] =
    refused.kind === 'reply'
      ? ['This reply', 'send again']
      : refused.kind === 'canned_response'
        ? ['This canned response', 'save again']
        : templatesSentence(Object.keys(refused.templates));
  return new HttpError(422, 'secret_in_reply', `${what} contains ${findingNames(types)}. ${why}: remove them and ${retry}.`, { types }, {
    types,
    subject: refused.kind,
    never,
    ...(refused.kind === 'template' ? { templates: refused.templates } : {}),
  });
}
