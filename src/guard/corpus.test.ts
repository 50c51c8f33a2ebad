import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from './corpus/generate.ts';
import { DEFAULT_CORPUS, evaluate, formatEvaluation, loadCorpus } from './evaluate.ts';

describe('evaluation corpus', () => {
  const corpus = loadCorpus(DEFAULT_CORPUS);

  it('is the generator output, large and balanced', () => {
    // The committed file must be exactly what the seeded generator writes (regenerate after changing it).
    const regenerated = generateCorpus().map((c) => JSON.stringify(c));
    const committed = readFileSync(DEFAULT_CORPUS, 'utf8').trimEnd().split('\n');
    const firstDifference = regenerated.findIndex((line, i) => committed[i] !== line);
    expect(
      { lines: committed.length, firstDifference },
      'corpus out of date: run npx tsx src/guard/corpus/generate.ts',
    ).toEqual({ lines: regenerated.length, firstDifference: -1 });
    expect(corpus.length).toBeGreaterThanOrEqual(2000);
    const positives = corpus.filter((m) => m.labels.length > 0).length;
    expect(positives / corpus.length).toBeGreaterThan(0.4);
    expect(positives / corpus.length).toBeLessThan(0.6);
    for (const m of corpus) for (const l of m.labels) expect(l.end).toBeLessThanOrEqual(m.text.length);
  });

  it('detect() reaches message-level precision ≥ 0.99 and F1 ≥ 0.97', () => {
    const result = evaluate(corpus);
    console.log(formatEvaluation(result));
    expect(result.f1).toBeGreaterThanOrEqual(0.97);
    expect(result.precision).toBeGreaterThanOrEqual(0.99);
    for (const score of result.perType) expect(score.labels).toBeGreaterThan(0);
  });
});
