// Which files a restore test restores: a sample of the snapshot's files within a count and a byte budget, half of
// it the most recently changed files (what a backup most likely got wrong, and what a person most likely wants
// back), the rest uniform over the whole snapshot (so old data is proven too). Pure, and streaming: a snapshot of
// millions of files is offered one file at a time and only O(budget.files) candidates are kept.

export interface SampleCandidate {
  /** The path inside the snapshot (absolute, as `restic ls` prints it). */
  path: string;
  size: number;
  /** The file's mtime as restic recorded it (RFC 3339 with nanoseconds). */
  mtime: string;
}

export interface SampleBudget {
  /** At most this many files (>= 1). */
  files: number;
  /** At most this many bytes in all (>= 1). */
  maxBytes: number;
}

/** A number in [0, 1), as Math.random; tests pass a seeded one. */
export type RandomSource = () => number;

/**
 * Collects candidates as they stream past and picks the sample at the end. For the same offers in the same order
 * and the same random source, the same sample.
 */
export class SampleCollector {
  /** The newest candidates seen, newest first (at most `poolSize`). */
  private readonly newest: { candidate: SampleCandidate; mtimeMs: number }[] = [];
  /** A uniform reservoir over every eligible candidate (Algorithm R). */
  private readonly reservoir: SampleCandidate[] = [];
  private readonly poolSize: number;
  private seen = 0;

  constructor(
    private readonly budget: SampleBudget,
    private readonly random: RandomSource = Math.random,
  ) {
    if (!(budget.files >= 1) || !(budget.maxBytes >= 1)) throw new RangeError('a sample needs at least one file and one byte');
    // Twice the count: room to pass over files that do not fit the byte budget, and for the two halves to overlap.
    this.poolSize = Math.min(2 * Math.floor(budget.files), 20_000);
  }

  offer(candidate: SampleCandidate): void {
    // A file larger than the whole budget can never be picked.
    if (candidate.size > this.budget.maxBytes) return;
    this.seen += 1;
    if (this.reservoir.length < this.poolSize) this.reservoir.push(candidate);
    else {
      const j = Math.floor(this.random() * this.seen);
      if (j < this.poolSize) this.reservoir[j] = candidate;
    }
    this.offerNewest(candidate);
  }

  /** The sample: at most budget.files files, at most budget.maxBytes bytes in all, no path twice. */
  pick(): SampleCandidate[] {
    const picked: SampleCandidate[] = [];
    const paths = new Set<string>();
    let bytes = 0;
    const take = (c: SampleCandidate): void => {
      if (picked.length >= this.budget.files || paths.has(c.path) || bytes + c.size > this.budget.maxBytes) return;
      picked.push(c);
      paths.add(c.path);
      bytes += c.size;
    };
    const newestQuota = Math.ceil(this.budget.files / 2);
    for (const { candidate } of this.newest) {
      if (picked.length >= newestQuota) break;
      take(candidate);
    }
    for (const candidate of shuffled(this.reservoir, this.random)) take(candidate);
    // Fewer uniform candidates fitted than there was room for: fill up with the next newest.
    for (const { candidate } of this.newest) take(candidate);
    return picked;
  }

  private offerNewest(candidate: SampleCandidate): void {
    const mtimeMs = Date.parse(candidate.mtime);
    const key = Number.isNaN(mtimeMs) ? -Infinity : mtimeMs;
    const list = this.newest;
    if (list.length >= this.poolSize && key <= list[list.length - 1]!.mtimeMs) return;
    // Binary search for the first entry older than this one (ties keep the order they came in).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.mtimeMs >= key) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, { candidate, mtimeMs: key });
    if (list.length > this.poolSize) list.pop();
  }
}

/** The sample of a whole list (SampleCollector over it in order). */
export function sampleFiles(candidates: Iterable<SampleCandidate>, budget: SampleBudget, random?: RandomSource): SampleCandidate[] {
  const collector = new SampleCollector(budget, random);
  for (const c of candidates) collector.offer(c);
  return collector.pick();
}

function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
