// Errors as people read them, in the interface language. The API answers in English ({"error": {code,
// message, fields?, details?}}); the app shows the catalogue's sentence for the code (`apiErrors.*` in en.ts /
// zh.ts), filled with the specifics the server gave as data (`details`: a connector's name, a limit, the kinds
// of secret; the Retry-After header; the field at fault). A code the catalogue does not know, or a known one
// whose specifics are missing, shows the server's own sentence, so nothing the server said is lost. Field messages of a 400 (`fields`)
// go through `fieldMessage`, which translates the sentences the server's validation writes.
import { i18n } from '../i18n/index.ts';
import { ApiError } from './client.ts';

type Values = Record<string, string | number>;
/** The catalogue key under `apiErrors.` and its values; null when the sentence would lose what the server said. */
type Sentence = { key: string; values?: Values } | null;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** The first string field message: `[path, message]`, and how many more field messages follow it. */
function firstField(err: ApiError): { path: string; problem: string; more: number } | null {
  const entries = Object.entries(err.fields).filter(([, v]) => typeof v === 'string') as Array<[string, string]>;
  if (!entries.length) return null;
  const [path, problem] = entries[0]!;
  return { path, problem, more: entries.length - 1 };
}

/** A form's own labels for field paths it shows under another name ("targetsMinutes.telegram" → "Telegram (minutes)"). */
export type FieldLabels = Record<string, string>;

/** "field: problem" with the problem translated (and how many more problems there are), or the given fallback. */
function fieldSentence(err: ApiError, fallback: Sentence, labels: FieldLabels = {}): Sentence {
  const f = firstField(err);
  if (!f) return fallback;
  const more = f.more ? i18n.t('apiErrors.moreProblems', { count: f.more }) : '';
  // A field is named as its form labels it: the form's own label for the path, else the catalogue's name for a
  // plain field people fill in by name; any other path (settings.chatIds) as is.
  const field = labels[f.path] ?? (/^\w+$/.test(f.path) ? i18n.t(`fieldErrors.names.${f.path}`, { defaultValue: f.path }) : f.path);
  return { key: 'fieldProblem', values: { field, problem: fieldMessage(f.problem), more } };
}

/** "45 seconds" / "15 min", in the interface language. */
function waitText(seconds: number): string {
  return seconds < 60 ? i18n.t('apiErrors.waitSeconds', { count: seconds }) : i18n.t('apiErrors.waitMinutes', { count: Math.ceil(seconds / 60) });
}

const label = (type: string) => i18n.t(`finding.${type}`, { defaultValue: type.replaceAll('_', ' ') });
/**
 * Whether a failed reply's or a guard action's code is a connector error's kind (connectors/errors.ts): its English
 * text then quotes the platform and is worth showing after ours. Our own reasons (connector_disabled, unconfirmed, …)
 * say everything in our sentence.
 */
export const quotesPlatform = (code: string): boolean => ['auth', 'permission', 'not_found', 'invalid', 'network', 'rate_limited'].includes(code);

/** Kinds of secret as a list in the interface language ("银行卡号、助记词"). */
export const typesText = (types: string[]): string => types.map(label).join(i18n.t('common.listSep'));

/** A refused guard policy's templates (422 secret_in_reply, details.templates): path → the kinds each holds. */
export function templatesHeld(err: ApiError): Record<string, string[]> {
  const held = err.details.templates;
  if (!held || typeof held !== 'object' || Array.isArray(held)) return {};
  const out: Record<string, string[]> = {};
  for (const [path, types] of Object.entries(held)) if (strings(types).length) out[path] = strings(types);
  return out;
}

/**
 * Codes whose sentence needs more than the code: what to read from the error. Every other code the
 * catalogue knows (`apiErrors.<code>`) is a fixed sentence.
 */
const SENTENCES: Record<string, (err: ApiError, labels?: FieldLabels) => Sentence> = {
  // "field: problem." from validation; without fields it is a body the server could not read.
  invalid_request: (err, labels) => fieldSentence(err, { key: 'invalid_request' }, labels),
  not_found: (err, labels) => fieldSentence(err, { key: 'not_found' }, labels),
  conflict: (err) => ('email' in err.fields ? { key: 'conflict_email' } : 'shortcut' in err.fields ? { key: 'conflict_shortcut' } : { key: 'conflict' }),
  credentials_required: (err) => {
    const names = strings(err.details.settings);
    return names.length ? { key: 'credentials_required', values: { names: names.join(i18n.t('common.listSep')) } } : null;
  },
  connector_disabled: (err) => {
    const name = str(err.details.connector);
    return name !== undefined ? { key: 'connector_disabled', values: { name } } : null;
  },
  too_many_streams: (err) => {
    const limit = err.details.limit;
    return typeof limit === 'number' ? { key: 'too_many_streams', values: { limit } } : null;
  },
  too_many_attempts: (err) => {
    const seconds = err.retryAfterSec;
    return seconds !== undefined && seconds > 0 ? { key: 'too_many_attempts', values: { wait: waitText(seconds) } } : null;
  },
  secret_in_reply: (err, labels = {}) => {
    const { subject, never } = err.details;
    const kind = subject === 'reply' ? 'reply' : subject === 'canned_response' ? 'canned' : subject === 'template' ? 'template' : null;
    if (!kind || typeof never !== 'boolean') return null;
    let types = strings(err.details.types);
    let field = '';
    if (kind === 'template') {
      // The first template refused, by the form's name for it, with what it holds; how many more follow.
      const held = templatesHeld(err);
      const [first, ...rest] = Object.keys(held);
      if (first === undefined) return null;
      types = held[first]!;
      field = (labels[first] ?? first) + (rest.length ? i18n.t('apiErrors.moreTemplates', { count: rest.length }) : '');
    }
    if (!types.length) return null;
    return { key: `secret_in_${kind}_${never ? 'never' : 'hidden'}`, values: { types: typesText(types), field } };
  },
};

/**
 * The text to show for a failed call (or any error), in the interface language: the catalogue's sentence for
 * an ApiError's code with the server's specifics filled in; the server's sentence for a code the catalogue
 * does not know; a translated sentence when the server could not be reached. Errors that are not ApiErrors
 * (the app's own, already translated) show their message. `labels` names fields the way the form that sent
 * them labels them, for paths the catalogue cannot name (a 400's "field: problem" sentence).
 */
export function errorMessage(err: unknown, labels?: FieldLabels): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  if (err.code === 'network') return i18n.t('errors.network');
  const rule = SENTENCES[err.code];
  const sentence: Sentence = rule ? rule(err, labels) : i18n.exists(`apiErrors.${err.code}`) ? { key: err.code } : null;
  return sentence ? i18n.t(`apiErrors.${sentence.key}`, sentence.values ?? {}) : err.message;
}

/** The server's field sentences that the catalogue translates (`fieldErrors.*`), by pattern. */
const FIELD_PATTERNS: Array<[RegExp, string, (m: RegExpExecArray) => Values]> = [
  [/^is required$/, 'required', () => ({})],
  [/^must not be empty$/, 'notEmpty', () => ({})],
  [/^must be (text|a number|a whole number|true or false|a list|an object|an email address|a URL|an id this API returned)$/, 'mustBeKind', (m) => ({ kind: i18n.t(`fieldErrors.kind.${KINDS[m[1]!]}`) })],
  [/^must be a date(?: and time)?, for example (\S+)$/, 'mustBeDate', (m) => ({ example: m[1]! })],
  [/^(?:must have )?at least (\d+) (character|item|byte)s?$/, 'atLeastUnits', (m) => ({ count: Number(m[1]), unit: i18n.t(`fieldErrors.unit.${m[2]}`, { count: Number(m[1]) }) })],
  [/^(?:must have )?at most (\d+) (character|item|byte)s?$/, 'atMostUnits', (m) => ({ count: Number(m[1]), unit: i18n.t(`fieldErrors.unit.${m[2]}`, { count: Number(m[1]) }) })],
  [/^must be at least (-?[\d.]+)$/, 'atLeast', (m) => ({ n: m[1]! })],
  [/^must be at most (-?[\d.]+)$/, 'atMost', (m) => ({ n: m[1]! })],
  [/^must be a multiple of (-?[\d.]+)$/, 'multipleOf', (m) => ({ n: m[1]! })],
  [/^must be one of (.+)$/, 'oneOf', (m) => ({ values: m[1]! })],
  [/^must be (".*")$/, 'exactly', (m) => ({ value: m[1]! })],
  [/^is not in the expected form$/, 'badForm', () => ({})],
  [/^is not any of the accepted forms$/, 'badForm', () => ({})],
  [/^has fields this does not accept: (.+)$/, 'unknownKeys', (m) => ({ keys: m[1]! })],
  [/^has (?:a key|an element) that is not accepted$/, 'badPart', () => ({})],
  [/^(?:not a valid id|invalid|must be a nextCursor this API returned)$/, 'badId', () => ({})],
  [/^must be in the future$/, 'future', () => ({})],
  [/^must be one word: letters, digits, "-" or "_"$/, 'oneWord', () => ({})],
  [/^only the \{handle\} placeholder is supported$/, 'placeholder', () => ({})],
  [/^must not contain a NUL character \(U\+0000\)$/, 'nul', () => ({})],
  [/^already in use$/, 'inUse', () => ({})],
  [/^already used in this language$/, 'usedInLanguage', () => ({})],
  [/^not your current password$/, 'notCurrentPassword', () => ({})],
  [/^not the current code$/, 'notCurrentCode', () => ({})],
  [/^no active user (?:with|has) this id$/, 'noUser', () => ({})],
  [/^no contact has this id$/, 'noContact', () => ({})],
  [/^must be another contact$/, 'otherContact', () => ({})],
  [/^must be the id of a message in this conversation$/, 'notInConversation', () => ({})],
  [/^not available yet$/, 'notAvailable', () => ({})],
  [/^not a (Telegram|Discord) bot token \((.+)\)$/, 'botToken', (m) => ({ platform: m[1]!, example: m[2]! })],
];
const KINDS: Record<string, string> = {
  text: 'text',
  'a number': 'number',
  'a whole number': 'int',
  'true or false': 'boolean',
  'a list': 'list',
  'an object': 'object',
  'an email address': 'email',
  'a URL': 'url',
  'an id this API returned': 'id',
};

/**
 * A field message from a 400's `fields` (e.g. "must have at most 200 characters") in the interface language;
 * a sentence the catalogue has no pattern for (a connector's own wording) is shown as the server wrote it.
 */
export function fieldMessage(problem: string): string {
  for (const [pattern, key, values] of FIELD_PATTERNS) {
    const m = pattern.exec(problem);
    if (m) return i18n.t(`fieldErrors.${key}`, values(m));
  }
  return problem;
}
