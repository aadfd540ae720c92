import { describe, expect, it } from 'vitest';
import { binaryMetrics, calibration, classificationMetrics, confusionMatrix } from './metrics.js';

describe('confusionMatrix', () => {
  it('counts actual × predicted', () => {
    expect(confusionMatrix(3, [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2])).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 2],
    ]);
  });

  it('rejects out-of-range classes and length mismatches', () => {
    expect(() => confusionMatrix(2, [0, 2], [0, 1])).toThrow(/out of range/);
    expect(() => confusionMatrix(2, [0], [0, 1])).toThrow(/length/);
  });
});

describe('classificationMetrics', () => {
  it('matches a hand-computed three-class case', () => {
    // Matrix above. Class a: TP 1, predicted 2, support 2 → P 1/2, R 1/2, F1 1/2.
    // Class b: TP 1, predicted 2, support 1 → P 1/2, R 1, F1 2/3.
    // Class c: TP 2, predicted 2, support 3 → P 1, R 2/3, F1 4/5.
    const m = classificationMetrics(['a', 'b', 'c'], [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2]);
    expect(m.perClass.map((c) => [c.precision, c.recall, c.support])).toEqual([[0.5, 0.5, 2], [0.5, 1, 1], [1, 2 / 3, 3]]);
    expect(m.perClass[0]!.f1).toBeCloseTo(0.5, 12);
    expect(m.perClass[1]!.f1).toBeCloseTo(2 / 3, 12);
    expect(m.perClass[2]!.f1).toBeCloseTo(0.8, 12);
    expect(m.macroF1).toBeCloseTo((0.5 + 2 / 3 + 0.8) / 3, 12);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.n).toBe(6);
  });

  it('leaves classes that never occur out of the macro average', () => {
    // Class z neither occurs nor is predicted; class y is predicted once but never occurs (F1 0, counted).
    const m = classificationMetrics(['x', 'y', 'z'], [0, 0, 0, 0], [0, 0, 0, 1]);
    expect(m.perClass[0]!.f1).toBeCloseTo(2 * 1 * 0.75 / 1.75, 12);
    expect(m.macroF1).toBeCloseTo((6 / 7 + 0) / 2, 12);
  });
});

describe('binaryMetrics', () => {
  it('counts TP/FP/FN/TN', () => {
    const m = binaryMetrics([true, true, true, false, false], [true, false, true, true, false]);
    expect(m).toMatchObject({ tp: 2, fn: 1, fp: 1, tn: 1 });
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
  });

  it('is zero, not NaN, with no positives', () => {
    expect(binaryMetrics([false], [false])).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});

describe('calibration', () => {
  it('computes ECE and the reliability table by hand', () => {
    // Bin 0.1–0.2: 0.1, 0.1 (outcomes F, F) → conf 0.1, freq 0 → gap 0.1, weight 2/6.
    // Bin 0.8–0.9: 0.8, 0.8 (T, F)          → conf 0.8, freq 0.5 → gap 0.3, weight 2/6.
    // Bin 0.9–1.0: 0.9, 1.0 (T, T)          → conf 0.95, freq 1 → gap 0.05, weight 2/6.
    const c = calibration([0.1, 0.1, 0.8, 0.8, 0.9, 1.0], [false, false, true, false, true, true]);
    expect(c.ece).toBeCloseTo((0.1 + 0.3 + 0.05) / 3, 12);
    expect(c.bins).toHaveLength(10);
    expect(c.bins[1]).toMatchObject({ lower: 0.1, count: 2, frequency: 0 });
    expect(c.bins[1]!.confidence).toBeCloseTo(0.1, 12);
    expect(c.bins[8]).toMatchObject({ count: 2, frequency: 0.5 });
    expect(c.bins[9]).toMatchObject({ upper: 1, count: 2, frequency: 1 });
    expect(c.bins[9]!.confidence).toBeCloseTo(0.95, 12);
    expect(c.bins[0]).toMatchObject({ count: 0, confidence: null, frequency: null });
  });

  it('is 0 for perfectly calibrated bins', () => {
    expect(calibration([0.25, 0.25, 0.25, 0.25], [true, false, false, false]).ece).toBeCloseTo(0, 12);
  });
});
