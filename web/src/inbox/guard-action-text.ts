// A guard action (removing a post, the private advice, the public warning) as a sentence an agent reads, in the
// interface language, and its tone. Plain TypeScript: the message view renders it.
import type { TFunction } from 'i18next';
import type { GuardAction, Platform } from '../api/types.ts';
import { quotesPlatform } from '../api/errors.ts';
import { i18n } from '../i18n/index.ts';

/**
 * Why a guard action went as it did, after its label: the catalogue's words for its detailCode (with the connector's
 * English details, which quote the platform, for a platform error), else the English detail as the server gave it.
 */
function guardDetail(action: GuardAction, t: TFunction): string {
  const code = action.detailCode;
  if (code && i18n.exists(`guardAction.details.${code}`)) {
    const details = action.detail && quotesPlatform(code) ? t('guardAction.detailText', { text: action.detail }) : '';
    return `${t('common.labelSep')}${t(`guardAction.details.${code}`)}${details}`;
  }
  return action.detail ? `: ${action.detail}` : '';
}

/** One guard action as a sentence an agent understands, and its tone. */
export function describeGuardAction(action: GuardAction, platform: Platform, t: TFunction): [string, string] {
  const detail = guardDetail(action, t);
  const s = action.status;
  const kind = ['remove', 'dm', 'warn'].includes(action.kind) ? action.kind : null;
  if (!kind) return [`${action.kind}: ${action.status}${detail}`, 'muted'];
  if (s === 'done') {
    if (kind === 'remove') return [action.detail === 'hidden' ? t('guardAction.hidden') : t(`guardAction.removed_${platform}`), 'ok'];
    return [t(`guardAction.${kind}_done`), 'ok'];
  }
  if (s === 'pending') return [t(`guardAction.${kind}_pending`), 'pending'];
  if (s === 'skipped') return [t(`guardAction.${kind}_skipped`) + detail, 'muted'];
  return [t(`guardAction.${kind}_failed`) + detail, s === 'failed' ? 'bad' : 'warn'];
}
