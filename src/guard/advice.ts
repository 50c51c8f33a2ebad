// The texts the guard sends a customer after a public leak, chosen from the policy's templates.
import { FINDING_TYPES, type FindingType } from '../domain/types.ts';
import type { Language } from './language.ts';
import { renderTemplate, riskGroupOf, type GuardPolicy } from './policy.ts';

/** The most serious type first (FINDING_TYPES is ordered by risk). */
const bySeverity = (types: FindingType[]) => [...types].sort((a, b) => FINDING_TYPES.indexOf(a) - FINDING_TYPES.indexOf(b));

const mention = (handle?: string | null) => (handle ? (handle.startsWith('@') ? handle : `@${handle}`) : undefined);
/** Templates start with {handle}; without one the sentence must still start with a capital. */
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What the guard managed to do before warning; undefined where it did not try. */
export interface ActionOutcome {
  removed?: boolean;
  dmSent?: boolean;
}

/**
 * The public reply under the leaked post: names the kind of secret (never the secret), then says truthfully
 * whether the post was removed and whether a private message went out, in the customer's language.
 */
export function publicWarning(policy: GuardPolicy, language: Language, types: FindingType[], ctx: ActionOutcome & { handle?: string | null }): string {
  const t = policy.templates[language];
  const parts = [capitalized(renderTemplate(t.publicWarning[riskGroupOf(bySeverity(types)[0]!)], { handle: mention(ctx.handle) }))];
  if (ctx.removed !== undefined) parts.push(ctx.removed ? t.removed : t.notRemoved);
  if (ctx.dmSent !== undefined) parts.push(ctx.dmSent ? t.dmSent : t.dmInvite);
  // Chinese sentences end in full-width punctuation and need no space between them.
  return parts.join(language === 'zh' ? '' : ' ');
}

/** The private message: what to do now, for each kind of secret that leaked. */
export function privateAdvice(policy: GuardPolicy, language: Language, types: FindingType[], ctx: { handle?: string | null } = {}): string {
  const texts = bySeverity(types).map((t) => capitalized(renderTemplate(policy.templates[language].dm[t], { handle: mention(ctx.handle) })));
  return [...new Set(texts)].join('\n\n');
}
