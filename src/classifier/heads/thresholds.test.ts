import { describe, expect, it } from 'vitest';
import { chooseThreshold } from './thresholds.js';

describe('chooseThreshold', () => {
  it('picks the F1-maximising cut, halfway into the gap below it', () => {
    // Sorted: 0.9 T, 0.8 T, 0.7 F, 0.6 T, 0.3 F, 0.2 F.
    // Cut at 0.6 keeps 3 TP + 1 FP: P = 3/4, R = 1, F1 = 6/7, the best. Next lower score is 0.3.
    const choice = chooseThreshold([0.9, 0.3, 0.7, 0.8, 0.2, 0.6], [true, false, false, true, false, true]);
    expect(choice.threshold).toBeCloseTo(0.45, 10);
    expect(choice.f1).toBeCloseTo(6 / 7, 10);
    expect(choice.precision).toBeCloseTo(0.75, 10);
    expect(choice.recall).toBe(1);
  });

  it('separable scores give F1 = 1 with the threshold between the classes', () => {
    const choice = chooseThreshold([0.1, 0.2, 0.35, 0.55, 0.9], [false, false, false, true, true]);
    expect(choice.f1).toBe(1);
    expect(choice.threshold).toBeCloseTo(0.45, 10);
  });

  it('treats tied scores as one cut', () => {
    // Two rows at 0.5 (one positive, one negative) cannot be split.
    const choice = chooseThreshold([0.5, 0.5, 0.1], [true, false, false]);
    expect(choice.threshold).toBeCloseTo(0.3, 10);
    expect(choice.f1).toBeCloseTo(2 / 3, 10);
  });

  it('handles a best cut at the top and at the bottom of the scores', () => {
    const choice = chooseThreshold([0.4, 0.2], [true, false]);
    expect(choice.threshold).toBeCloseTo(0.3, 10);
    const all = chooseThreshold([0.4, 0.2, 0.6], [true, true, false]);
    expect(all.threshold).toBeCloseTo(0.1, 10); // half the lowest score: every row is kept
    expect(all.recall).toBe(1);
  });

  it('falls back to 0.5 when dev has only one class', () => {
    expect(chooseThreshold([0.2, 0.9], [false, false]).threshold).toBe(0.5);
    expect(chooseThreshold([0.2, 0.9], [true, true]).threshold).toBe(0.5);
  });
});
