// Replaces sensitive spans with a placeholder that names the type ("[seed_phrase removed]"), so an agent knows
// what the customer sent without seeing it. Placeholders are plain ASCII and the same in every language: they
// end up in stored text that agents of any language read.
import type { Finding, FindingType } from '../domain/types.ts';

export interface MaskResult {
  text: string;
  /**
   * The input findings, in the input order, with offsets into the masked text: the placeholder's span for a
   * masked finding, the (shifted) original span for one left visible.
   */
  findings: Finding[];
}

export const placeholderFor = (type: FindingType): string => `[${type} removed]`;

/**
 * Masks the findings for which `shouldMask` is true. Findings must lie within the text and must not overlap
 * (detect() guarantees both); a RangeError is thrown otherwise rather than producing garbled text.
 */
export function maskText(text: string, findings: Finding[], shouldMask: (f: Finding) => boolean): MaskResult {
  if (findings.length === 0) return { text, findings: [] };
  // Built by push, not map(): one elements kind for every call, so the optimized code is never thrown away.
  const order: number[] = [];
  for (let i = 0; i < findings.length; i++) order.push(i);
  order.sort((a, b) => (findings[a]?.start ?? 0) - (findings[b]?.start ?? 0));
  const out: Finding[] = new Array<Finding>(findings.length);
  const parts: string[] = [];
  let copied = 0; // end of the original text copied so far
  let shift = 0; // masked length minus original length, so far
  for (const i of order) {
    const f = findings[i];
    if (!f) continue;
    if (f.start < copied || f.end < f.start || f.end > text.length || f.start < 0) {
      throw new RangeError(`finding ${f.type} [${f.start}, ${f.end}) is out of range or overlaps another`);
    }
    parts.push(text.slice(copied, f.start));
    const start = f.start + shift;
    if (shouldMask(f)) {
      const placeholder = placeholderFor(f.type);
      parts.push(placeholder);
      shift += placeholder.length - (f.end - f.start);
      out[i] = { type: f.type, start, end: start + placeholder.length };
    } else {
      parts.push(text.slice(f.start, f.end));
      out[i] = { type: f.type, start, end: f.end + shift };
    }
    copied = f.end;
  }
  parts.push(text.slice(copied));
  return { text: parts.join(''), findings: out };
}
