import { describe, expect, it } from 'vitest';
import { charNgramsOption, countOption, numberOption } from './cli-support.js';

describe('CLI options', () => {
  it('take sizes and counts only as positive integers, so no batch loop can stall', () => {
    expect(countOption(undefined, 'batch', 64)).toBe(64);
    expect(countOption('8', 'batch', 64)).toBe(8);
    for (const bad of ['0', '-1', '0.5', 'abc']) expect(() => countOption(bad, 'batch', 64)).toThrow(/--batch must be a/);
  });

  it('take other numbers as any finite number', () => {
    expect(numberOption('0.001', 'lr')).toBe(0.001);
    expect(() => numberOption('x', 'lr')).toThrow('--lr must be a number, got "x"');
  });

  it('take character n-gram sizes as an ascending list of small positive integers', () => {
    expect(charNgramsOption(undefined)).toBeUndefined();
    expect(charNgramsOption('3, 4,5')).toEqual([3, 4, 5]);
    for (const bad of ['5,3', '4,4', '9', '3,0']) expect(() => charNgramsOption(bad), bad).toThrow(/--char-ngrams/);
  });
});
