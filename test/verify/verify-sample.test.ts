// The restore test's sampler: budget respected, biased toward recently changed files, deterministic for a seed.
import { describe, expect, it } from 'vitest';
import { sampleFiles, SampleCollector, type SampleCandidate } from '../../main/core/jobs/verify-sample.js';

/** mulberry32: a small seeded generator, so a sample can be reproduced. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const BASE = Date.parse('2026-01-01T00:00:00Z');

/** n files; file i changed i days after BASE (so the highest i is the newest), `size(i)` bytes. */
function files(n: number, size: (i: number) => number = () => 1000): SampleCandidate[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `/data/f${i}`,
    size: size(i),
    mtime: new Date(BASE + i * DAY).toISOString().replace('Z', '123456789Z').replace('.000', '.'),
  }));
}

const total = (sample: SampleCandidate[]) => sample.reduce((n, c) => n + c.size, 0);

describe('sampleFiles: the budget', () => {
  const cases: { name: string; list: SampleCandidate[]; budget: { files: number; maxBytes: number }; count: number }[] = [
    { name: 'fewer files than the count: all of them', list: files(5), budget: { files: 50, maxBytes: 1e9 }, count: 5 },
    { name: 'more files than the count: the count', list: files(1000), budget: { files: 50, maxBytes: 1e9 }, count: 50 },
    { name: 'the byte budget binds before the count', list: files(1000), budget: { files: 50, maxBytes: 10_500 }, count: 10 },
    { name: 'one file', list: files(1000), budget: { files: 1, maxBytes: 1e9 }, count: 1 },
    { name: 'every file larger than the budget: none', list: files(20, () => 5000), budget: { files: 10, maxBytes: 4999 }, count: 0 },
    { name: 'an empty snapshot: none', list: [], budget: { files: 10, maxBytes: 1e9 }, count: 0 },
    {
      name: 'big files are passed over for ones that fit',
      list: files(200, (i) => (i % 2 === 0 ? 900_000 : 100)),
      budget: { files: 20, maxBytes: 1_000_000 },
      count: 20,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      for (let seed = 1; seed <= 20; seed += 1) {
        const sample = sampleFiles(c.list, c.budget, seeded(seed));
        expect(sample.length).toBe(c.count);
        expect(total(sample)).toBeLessThanOrEqual(c.budget.maxBytes);
        expect(new Set(sample.map((s) => s.path)).size).toBe(sample.length);
      }
    });
  }

  it('refuses a budget of 0 or less (the config refuses it earlier; this is the last line)', () => {
    for (const budget of [{ files: 0, maxBytes: 10 }, { files: -1, maxBytes: 10 }, { files: 5, maxBytes: 0 }]) {
      expect(() => new SampleCollector(budget)).toThrow(RangeError);
    }
  });
});

describe('sampleFiles: bias toward recently changed files', () => {
  it('half of the sample is the newest files, the rest spread over the whole snapshot', () => {
    const list = files(10_000);
    const sample = sampleFiles(list, { files: 50, maxBytes: 1e12 }, seeded(7));
    const index = (c: SampleCandidate) => Number(c.path.slice('/data/f'.length));
    const newest25 = new Set(Array.from({ length: 25 }, (_, i) => `/data/f${9999 - i}`));
    for (const path of newest25) expect(sample.map((s) => s.path)).toContain(path);
    // The other half is not just the next-newest: it reaches into the old files.
    const old = sample.filter((s) => index(s) < 5000);
    expect(old.length).toBeGreaterThan(5);
  });

  it('the newest files win whatever order the listing has', () => {
    const list = files(2000).reverse();
    const sample = sampleFiles(list, { files: 10, maxBytes: 1e12 }, seeded(3));
    for (let i = 0; i < 5; i += 1) expect(sample.map((s) => s.path)).toContain(`/data/f${1999 - i}`);
  });

  it('a file without a usable mtime is still a uniform candidate', () => {
    const list = [{ path: '/x', size: 1, mtime: 'garbage' }];
    expect(sampleFiles(list, { files: 2, maxBytes: 10 }, seeded(1)).map((s) => s.path)).toEqual(['/x']);
  });
});

describe('sampleFiles: determinism', () => {
  it('the same seed gives the same sample; another seed another one', () => {
    const list = files(5000, (i) => 100 + (i % 17) * 1000);
    const a = sampleFiles(list, { files: 40, maxBytes: 200_000 }, seeded(42));
    const b = sampleFiles(list, { files: 40, maxBytes: 200_000 }, seeded(42));
    const c = sampleFiles(list, { files: 40, maxBytes: 200_000 }, seeded(43));
    expect(a).toEqual(b);
    expect(c.map((s) => s.path)).not.toEqual(a.map((s) => s.path));
  });
});
