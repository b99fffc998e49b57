// hasNothingToVerify: when a restore test is refused (or, scheduled, skipped) because the plan has no snapshot.
import { describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/errors.js';
import type { SnapshotInfo } from '../../common/rpc.js';
import { hasNothingToVerify } from './verify-readiness.js';

const snapshot = { id: 'ab'.repeat(32), planId: 'home' } as SnapshotInfo;

/** A snapshot list whose first answer is `cached` and whose answer after invalidate() is `fresh`. */
function lists(cached: SnapshotInfo[] | Error, fresh: SnapshotInfo[] | Error = cached) {
  const calls: string[] = [];
  let invalidated = false;
  return {
    calls,
    snapshots: {
      list: async (repoId: string, planId?: string) => {
        calls.push(`list ${repoId} ${planId}`);
        const answer = invalidated ? fresh : cached;
        if (answer instanceof Error) throw answer;
        return answer;
      },
      invalidate: (repoId: string) => {
        calls.push(`invalidate ${repoId}`);
        invalidated = true;
      },
    },
  };
}

describe('hasNothingToVerify', () => {
  const locked = new BackstayError('REPOSITORY_LOCKED', 'locked');
  const cases: { name: string; backupLive?: boolean; cached: SnapshotInfo[] | Error; fresh?: SnapshotInfo[] | Error; nothing: boolean | null; calls: string[] }[] = [
    { name: 'the plan has a snapshot (cached)', cached: [snapshot], nothing: false, calls: ['list nas home'] },
    {
      name: 'none cached, but one was saved since (outside Backstay)',
      cached: [],
      fresh: [snapshot],
      nothing: false,
      calls: ['list nas home', 'invalidate nas', 'list nas home'],
    },
    { name: 'none cached and none there', cached: [], nothing: true, calls: ['list nas home', 'invalidate nas', 'list nas home'] },
    { name: 'a backup of the plan is queued or running: one is being made', backupLive: true, cached: [], nothing: false, calls: [] },
    { name: 'the list cannot be read: unknown, the test reports the cause', cached: locked, nothing: null, calls: ['list nas home'] },
    { name: 'the second look cannot be read', cached: [], fresh: locked, nothing: null, calls: ['list nas home', 'invalidate nas', 'list nas home'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { snapshots, calls } = lists(c.cached, c.fresh);
      const busy: string[] = [];
      const orchestrator = {
        isBusy: (planId: string, kind?: string) => {
          busy.push(`${planId} ${kind}`);
          return c.backupLive === true && kind === 'backup';
        },
      };
      expect(await hasNothingToVerify({ snapshots, orchestrator }, { id: 'home', repo: 'nas' })).toBe(c.nothing);
      expect(calls).toEqual(c.calls);
      expect(busy).toEqual(['home backup']);
    });
  }
});
