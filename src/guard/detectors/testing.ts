// Test helpers shared by the detector tests (not used at runtime).
import { normalizeText } from '../normalize.ts';
import { type Detector } from './util.ts';

/** What a detector finds in `text` (folded the way detect() folds it), as [type, value] pairs in text order. */
export function found(detector: Detector, text: string): [string, string][] {
  return detector(normalizeText(text))
    .sort((a, b) => a.start - b.start)
    .map((f) => [f.type, text.slice(f.start, f.end)]);
}

/** The values a detector finds, in text order. */
export const values = (detector: Detector, text: string): string[] => found(detector, text).map(([, v]) => v);
