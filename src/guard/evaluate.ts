// Scores detect() against the labelled corpus.
//
// Per type (span level): a detected finding is a true positive when it overlaps a labelled span of the same
// type that no other finding has claimed yet; precision = TP / findings of that type, recall = TP / labels of that
// type. "Exact" counts the matches whose offsets are identical to the label's.
//
// Per message: a message is predicted positive when detect() reports anything, labelled positive when it has a
// label. It is a true positive when it is labelled positive AND the set of detected types equals the labelled
// set; precision = TP / predicted positives, recall = TP / labelled positives. So a message flagged with the
// wrong type costs both precision and recall, and a hard negative with any finding costs precision.
//
// Run: npx tsx src/guard/evaluate.ts [corpus.jsonl]
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FINDING_TYPES, type Finding, type FindingType } from '../domain/types.ts';
import { detect } from './index.ts';

export interface LabelledMessage {
  id: string;
  text: string;
  labels: Finding[];
}

export interface TypeScore {
  type: FindingType;
  labels: number;
  findings: number;
  truePositives: number;
  exact: number;
  precision: number;
  recall: number;
}

export interface MessageError {
  id: string;
  text: string;
  expected: FindingType[];
  detected: Finding[];
}

export interface Evaluation {
  messages: number;
  labelledPositive: number;
  predictedPositive: number;
  truePositive: number;
  precision: number;
  recall: number;
  f1: number;
  perType: TypeScore[];
  errors: MessageError[];
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

export function evaluate(corpus: LabelledMessage[], detector: (text: string) => Finding[] = detect): Evaluation {
  const perType = new Map<FindingType, TypeScore>(
    FINDING_TYPES.map((type) => [type, { type, labels: 0, findings: 0, truePositives: 0, exact: 0, precision: 0, recall: 0 }]),
  );
  let labelledPositive = 0;
  let predictedPositive = 0;
  let truePositive = 0;
  const errors: MessageError[] = [];

  for (const message of corpus) {
    const found = detector(message.text);
    const claimed = new Set<number>();
    for (const label of message.labels) {
      const score = perType.get(label.type);
      if (score) score.labels++;
    }
    for (const f of found) {
      const score = perType.get(f.type);
      if (!score) continue;
      score.findings++;
      const match = message.labels.findIndex(
        (l, i) => !claimed.has(i) && l.type === f.type && l.start < f.end && f.start < l.end,
      );
      if (match < 0) continue;
      claimed.add(match);
      score.truePositives++;
      const label = message.labels[match];
      if (label && label.start === f.start && label.end === f.end) score.exact++;
    }
    const expected = [...new Set(message.labels.map((l) => l.type))].sort();
    const detected = [...new Set(found.map((f) => f.type))].sort();
    const same = expected.length === detected.length && expected.every((t, i) => t === detected[i]);
    if (expected.length > 0) labelledPositive++;
    if (detected.length > 0) predictedPositive++;
    if (expected.length > 0 && same) truePositive++;
    if (!same) errors.push({ id: message.id, text: message.text, expected, detected: found });
  }

  for (const score of perType.values()) {
    score.precision = ratio(score.truePositives, score.findings);
    score.recall = ratio(score.truePositives, score.labels);
  }
  const precision = ratio(truePositive, predictedPositive);
  const recall = ratio(truePositive, labelledPositive);
  return {
    messages: corpus.length,
    labelledPositive,
    predictedPositive,
    truePositive,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    perType: [...perType.values()],
    errors,
  };
}

export function loadCorpus(file: string): LabelledMessage[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledMessage);
}

export const DEFAULT_CORPUS = fileURLToPath(new URL('./corpus/messages.jsonl', import.meta.url));

const pct = (x: number): string => (100 * x).toFixed(1).padStart(6);

export function formatEvaluation(e: Evaluation, showErrors = 10): string {
  const lines = [
    `type            labels  found     TP  exact  precision  recall`,
    ...e.perType.map(
      (s) =>
        `${s.type.padEnd(14)} ${String(s.labels).padStart(7)} ${String(s.findings).padStart(6)} ${String(s.truePositives).padStart(6)} ${String(s.exact).padStart(6)}     ${pct(s.precision)}  ${pct(s.recall)}`,
    ),
    '',
    `messages ${e.messages}: labelled positive ${e.labelledPositive}, predicted positive ${e.predictedPositive}, exact type match ${e.truePositive}`,
    `message-level precision ${pct(e.precision)}%  recall ${pct(e.recall)}%  F1 ${pct(e.f1)}%`,
  ];
  for (const err of e.errors.slice(0, showErrors)) {
    const got = err.detected.map((f) => `${f.type}:${JSON.stringify(err.text.slice(f.start, f.end))}`).join(', ');
    lines.push(`  ✗ ${err.id} expected [${err.expected.join(',')}] got [${got}] in ${JSON.stringify(err.text.slice(0, 160))}`);
  }
  if (e.errors.length > showErrors) lines.push(`  … and ${e.errors.length - showErrors} more`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2] ?? DEFAULT_CORPUS;
  process.stdout.write(formatEvaluation(evaluate(loadCorpus(file)), Number(process.env.SHOW_ERRORS ?? 40)) + '\n');
}
