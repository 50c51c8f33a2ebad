// The texts the guard sends a customer after a public leak, chosen from the policy's templates.
import { FINDING_TYPES, type FindingType } from '../domain/types.ts';
import type { Language } from './language.ts';
import { renderTemplate, riskGroupOf, type GuardPolicy } from './policy.ts';

/** The most serious type first (FINDING_TYPES is ordered by risk). */
const bySeverity = (types: FindingType[]) => [...types].sort((a, b) => FINDING_TYPES.indexOf(a) - FINDING_TYPES.indexOf(b));

const mention = (handle?: string | null) => (handle ? (handle.startsWith('@') ? handle : `@${handle}`) : undefined);

/** The public reply under the leaked post: names the kind of secret, never the secret. */
export function publicWarning(policy: GuardPolicy, language: Language, types: FindingType[], ctx: { handle?: string | null; dmSent: boolean }): string {
  const group = riskGroupOf(bySeverity(types)[0]!);
  const templates = policy.templates[language];
  return renderTemplate((ctx.dmSent ? templates.publicWarning : templates.publicWarningNoDm)[group], { handle: mention(ctx.handle) });
}

/** The private message: what to do now, for each kind of secret that leaked. */
export function privateAdvice(policy: GuardPolicy, language: Language, types: FindingType[], ctx: { handle?: string | null } = {}): string {
  const texts = bySeverity(types).map((t) => renderTemplate(policy.templates[language].dm[t], { handle: mention(ctx.handle) }));
  return [...new Set(texts)].join('\n\n');
}
