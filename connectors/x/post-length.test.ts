import { describe, expect, it } from 'vitest';
import { xWeightedLength } from './post-length.ts';

describe('xWeightedLength (twitter-text 3)', () => {
  it('counts Latin text once, Chinese and emoji twice, and any URL as 23', () => {
    expect(xWeightedLength('a'.repeat(280))).toBe(280);
    expect(xWeightedLength('提现'.repeat(70))).toBe(280);
    expect(xWeightedLength('提现'.repeat(70) + '了')).toBe(282);
    expect(xWeightedLength('ok 👍')).toBe(5);
    expect(xWeightedLength(`see https://help.example.com/${'x'.repeat(100)} now`)).toBe(4 + 23 + 4);
    expect(xWeightedLength('café — “quoted”')).toBe(15);
  });
});
