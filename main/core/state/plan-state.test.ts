import { describe, expect, it } from 'vitest';
import { planSchema } from '../config/schema.js';
import { derivePlanStates } from './plan-state.js';
import { anOperation } from './testing/operations.js';

const plan = (id: string, extra: Record<string, unknown> = {}) => planSchema.parse({ id, repo: 'nas', paths: ['/data'], ...extra });

describe('derivePlanStates', () => {
  it("takes each plan's config, its last backup, its last saved backup and its next run", () => {
    const last = anOperation({ id: 7, planId: 'home', status: 'error', endedAt: '2026-03-02T10:00:00.000Z' });
    const lastSuccess = anOperation({ id: 5, planId: 'home', status: 'warning', endedAt: '2026-03-01T10:05:00.000Z' });
    const states = derivePlanStates([plan('home', { excludes: ['*.tmp'], retention: { keepLast: 3 } }), plan('work')], {
      last: new Map([['home', last]]),
      lastSuccess: new Map([['home', lastSuccess]]),
      nextRuns: new Map([
        ['home', new Date('2026-03-03T00:00:00.000Z')],
        ['work', null],
      ]),
    });
    expect(states).toEqual([
      {
        id: 'home',
        repoId: 'nas',
        paths: ['/data'],
        excludes: ['*.tmp'],
        schedule: null,
        retention: { keepLast: 3 },
        lastOp: expect.objectContaining({ opId: 7, status: 'error', endedAt: '2026-03-02T10:00:00.000Z' }),
        lastSuccessAt: '2026-03-01T10:05:00.000Z',
        nextRunAt: '2026-03-03T00:00:00.000Z',
      },
      expect.objectContaining({ id: 'work', lastOp: null, lastSuccessAt: null, nextRunAt: null }),
    ]);
  });

  it('has no next run where no schedules run in this process', () => {
    const [state] = derivePlanStates([plan('home', { schedule: { cron: '0 3 * * *' } })], { last: new Map(), lastSuccess: new Map() });
    expect(state?.nextRunAt).toBeNull();
  });
});
