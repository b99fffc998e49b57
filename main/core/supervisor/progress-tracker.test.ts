import { describe, expect, it } from 'vitest';
import { ProgressTracker } from './progress-tracker.js';

describe('ProgressTracker', () => {
  it('counts only more bytes or files as forward progress', () => {
    let now = 0;
    const t = new ProgressTracker(() => now);
    expect(t.onStatus({ bytesDone: 10 })).toBe(true);
    now = 1000;
    expect(t.onStatus({ bytesDone: 10 })).toBe(false);
    expect(t.lastForwardProgressAt).toBe(0);
    expect(t.onStatus({ bytesDone: 10, filesDone: 1 })).toBe(true);
    expect(t.lastForwardProgressAt).toBe(1000);
  });

  it('keeps totals from an earlier line when restic 0.14 sends a totals-only line', () => {
    const t = new ProgressTracker(() => 0);
    t.onStatus({ bytesDone: 5, percent: 0.5 });
    t.onStatus({ totalBytes: 10, totalFiles: 2 });
    expect(t.progress).toMatchObject({ bytesDone: 5, percent: 0.5, totalBytes: 10 });
  });

  it('computes a rate with a bounded sample list under a flood longer than the rate window', () => {
    let now = 0;
    const t = new ProgressTracker(() => now);
    // 20 s of "restic" at 100,000 lines a second (a fake clock): one sample per line would hold 500,000 samples and
    // make every line shift a huge array.
    for (let i = 1; i <= 2_000_000; i += 1) {
      now = i / 100;
      t.onStatus({ bytesDone: i * 100 });
    }
    expect(t.progress.bytesPerSecond).toBeCloseTo(10_000_000, -4);
    expect(t.sampleCount).toBeLessThanOrEqual(52);
  });
});
