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

describe('ProgressTracker: rate and ETA only from forward progress (issue 10, item 11)', () => {
  /** 1 MB a second for 5 s, with restic's own ETA on every line. */
  function moving() {
    let now = 0;
    const t = new ProgressTracker(() => now);
    for (let i = 0; i <= 50; i += 1) {
      now = i * 100;
      t.onStatus({ bytesDone: i * 100_000, totalBytes: 100_000_000, etaSeconds: 95 });
    }
    return { t, at: (ms: number) => (now = ms), now: () => now };
  }

  it('while bytes move: the rate of the recent window and restic\'s ETA', () => {
    const { t } = moving();
    expect(t.progress.bytesPerSecond).toBe(1_000_000);
    expect(t.progress.etaSeconds).toBe(95);
    expect(t.waitingSince()).toBeNull();
  });

  it('when bytes stop: the rate does not decay towards a made-up number, and after 3 s there is no rate and no ETA', () => {
    const { t, at } = moving();
    // The same bytes again and again (a frozen backend): restic keeps printing, and an ETA that counts down.
    for (let ms = 5_100; ms < 8_000; ms += 100) {
      at(ms);
      t.onStatus({ bytesDone: 5_000_000, totalBytes: 100_000_000, etaSeconds: 2 });
      expect(t.progress.bytesPerSecond).toBe(1_000_000);
    }
    at(7_999);
    expect(t.waitingSince()).toBeNull();
    at(8_000);
    t.onStatus({ bytesDone: 5_000_000, totalBytes: 100_000_000, etaSeconds: 1 });
    expect(t.progress).not.toHaveProperty('bytesPerSecond');
    expect(t.progress).not.toHaveProperty('etaSeconds');
    expect(t.progress).toMatchObject({ bytesDone: 5_000_000, totalBytes: 100_000_000 });
    expect(t.waitingSince()).toBe(5_000);
    at(60_000);
    expect(t.progress).not.toHaveProperty('bytesPerSecond');
    expect(t.waitingSince()).toBe(5_000);
  });

  it('when bytes move again: waiting ends, and the rate comes back from the new movement only', () => {
    const { t, at } = moving();
    at(30_000);
    expect(t.waitingSince()).toBe(5_000);
    at(30_000);
    t.onStatus({ bytesDone: 5_200_000, totalBytes: 100_000_000, etaSeconds: 90 });
    expect(t.waitingSince()).toBeNull();
    // One sample after a pause is no rate (the 25 s pause is not part of it).
    expect(t.progress).not.toHaveProperty('bytesPerSecond');
    expect(t.progress.etaSeconds).toBe(90);
    at(31_000);
    t.onStatus({ bytesDone: 7_200_000, totalBytes: 100_000_000, etaSeconds: 45 });
    expect(t.progress.bytesPerSecond).toBe(2_000_000);
  });

  it('other forward progress (a message, I/O) ends waiting but is not a transfer rate', () => {
    const { t, at } = moving();
    at(9_000);
    expect(t.waitingSince()).toBe(5_000);
    t.onOtherMessage();
    expect(t.waitingSince()).toBeNull();
    expect(t.progress).not.toHaveProperty('bytesPerSecond');
  });
});
