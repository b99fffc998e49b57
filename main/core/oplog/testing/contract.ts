// The one contract every OpStore follows. Both stores' test files run this suite, so they cannot drift apart.
// Imported only by tests; it lives under testing/ so the build leaves it out of dist.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackstayError, paramsOf } from '../../../common/index.js';
import type { OpKind, OpStatus, Operation } from '../../../common/index.js';
import { LOG_HEAD_LINES, LOG_MAX_LINE_CHARS, LOG_TAIL_LINES } from '../store-rules.js';
import type { NewOperation, OpStore } from '../store.js';

export interface StoreFixture {
  store: OpStore;
  /** Removes what the fixture made (temp files); the store may already be closed. */
  dispose?: () => void;
}

const OWNER = { ownerPid: 4242, ownerStartedAt: '2026-01-01T00:00:00.000Z' };

function newOp(overrides: Partial<NewOperation> = {}): NewOperation {
  return { kind: 'backup', trigger: 'manual', planId: 'home', repoId: 'nas', ...OWNER, ...overrides };
}

function expectBackstayError(fn: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(BackstayError);
  expect((thrown as BackstayError).code).toBe(code);
}

export function describeOpStoreContract(name: string, makeFixture: () => StoreFixture): void {
  describe(`OpStore contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: OpStore;

    beforeEach(() => {
      fixture = makeFixture();
      store = fixture.store;
    });
    afterEach(() => {
      store.close();
      fixture.dispose?.();
    });

    describe('insert and get', () => {
      it('fills defaults and returns the stored row', () => {
        const op = store.insert(newOp({ createdAt: '2026-02-01T10:00:00.000Z' }));
        expect(op).toEqual<Operation>({
          id: op.id,
          kind: 'backup',
          trigger: 'manual',
          planId: 'home',
          repoId: 'nas',
          status: 'queued',
          createdAt: '2026-02-01T10:00:00.000Z',
          startedAt: null,
          endedAt: null,
          snapshotId: null,
          error: null,
          progress: null,
          summary: null,
          stalledSince: null,
          stall: null,
          itemErrors: [],
          retryOf: null,
          ownerPid: 4242,
          ownerStartedAt: '2026-01-01T00:00:00.000Z',
          resticPid: null,
          params: null,
        });
        expect(store.get(op.id)).toEqual(op);
      });

      it('defaults createdAt to now and starts a row inserted as running', () => {
        const before = Date.now();
        const op = store.insert(newOp({ status: 'running', retryOf: 7, params: { paths: ['/a', '/b'] } }));
        const created = Date.parse(op.createdAt);
        expect(created).toBeGreaterThanOrEqual(before - 1);
        expect(created).toBeLessThanOrEqual(Date.now() + 1);
        expect(op.status).toBe('running');
        expect(op.startedAt).toBe(op.createdAt);
        expect(op.retryOf).toBe(7);
        expect(op.params).toEqual({ paths: ['/a', '/b'] });
      });

      it('gives strictly increasing ids', () => {
        const ids = Array.from({ length: 20 }, () => store.insert(newOp()).id);
        for (let i = 1; i < ids.length; i++) expect(ids[i]!).toBeGreaterThan(ids[i - 1]!);
      });

      it('returns null for an unknown id', () => {
        expect(store.get(987654)).toBeNull();
      });

      it('hands out copies: changing a returned object does not change the store', () => {
        const restore = { snapshotId: '4f1c2d3e', paths: [], target: '/restore', overwrite: false };
        const op = store.insert(newOp({ kind: 'restore', params: restore }));
        op.status = 'error';
        paramsOf(op, 'restore')!.target = '/elsewhere';
        const again = store.get(op.id)!;
        expect(again.status).toBe('queued');
        expect(again.params).toEqual({ ...restore, target: '/restore' });
      });
    });

    describe('update', () => {
      it('changes only the given fields and returns the updated row', () => {
        const op = store.insert(newOp());
        const updated = store.update(op.id, {
          status: 'running',
          startedAt: '2026-02-01T10:00:01.000Z',
          resticPid: 999,
          progress: { percent: 0.5, bytesDone: 10, totalBytes: 20, currentFiles: ['/x'] },
        });
        expect(updated).toEqual({
          ...op,
          status: 'running',
          startedAt: '2026-02-01T10:00:01.000Z',
          resticPid: 999,
          progress: { percent: 0.5, bytesDone: 10, totalBytes: 20, currentFiles: ['/x'] },
        });
        expect(store.get(op.id)).toEqual(updated);
      });

      it('stores every JSON field and clears fields set to null', () => {
        const op = store.insert(newOp());
        const full = store.update(op.id, {
          status: 'warning',
          endedAt: '2026-02-01T11:00:00.000Z',
          snapshotId: '4f1c2d3e',
          error: { code: 'RESTIC_FAILED', message: 'Some files could not be read.', detail: 'permission denied' },
          summary: { filesNew: 3, dataAdded: 1024, snapshotId: '4f1c2d3e' },
          stalledSince: '2026-02-01T10:30:00.000Z',
          stall: {
            since: '2026-02-01T10:30:00.000Z',
            bytesDone: 5,
            filesDone: 1,
            cpuSeconds: 1.5,
            cpuSecondsSinceProgress: 0,
          },
          itemErrors: [{ path: '/secret', during: 'archival', message: 'permission denied' }],
          params: { attempt: 2 },
        });
        expect(store.get(op.id)).toEqual(full);
        expect(full.itemErrors).toEqual([{ path: '/secret', during: 'archival', message: 'permission denied' }]);
        expect(full.stall?.cpuSeconds).toBe(1.5);

        const cleared = store.update(op.id, {
          error: null,
          summary: null,
          stall: null,
          stalledSince: null,
          snapshotId: null,
          params: null,
          itemErrors: [],
          status: undefined,
        });
        expect(cleared).toMatchObject({
          status: 'warning',
          error: null,
          summary: null,
          stall: null,
          stalledSince: null,
          snapshotId: null,
          params: null,
          itemErrors: [],
          endedAt: '2026-02-01T11:00:00.000Z',
        });
      });

      it('with an empty patch returns the row unchanged', () => {
        const op = store.insert(newOp());
        expect(store.update(op.id, {})).toEqual(op);
      });

      it('of an unknown id throws UNKNOWN_OPERATION', () => {
        expectBackstayError(() => store.update(555, { status: 'running' }), 'UNKNOWN_OPERATION');
        expectBackstayError(() => store.update(555, {}), 'UNKNOWN_OPERATION');
      });
    });

    describe('list', () => {
      function seed(): Operation[] {
        const specs: Partial<NewOperation>[] = [
          { planId: 'home', repoId: 'nas', kind: 'backup' },
          { planId: 'work', repoId: 'cloud', kind: 'backup' },
          { planId: 'home', repoId: 'nas', kind: 'forget' },
          { planId: null, repoId: 'nas', kind: 'check' },
          { planId: 'home', repoId: 'cloud', kind: 'backup' },
          { planId: 'work', repoId: 'cloud', kind: 'prune' },
        ];
        const ops = specs.map((s) => store.insert(newOp(s)));
        store.update(ops[0]!.id, { status: 'success' });
        store.update(ops[1]!.id, { status: 'error' });
        store.update(ops[4]!.id, { status: 'success' });
        return ops.map((o) => store.get(o.id)!);
      }
      const ids = (ops: Operation[]) => ops.map((o) => o.id);

      it('returns newest first', () => {
        const ops = seed();
        expect(ids(store.list())).toEqual(ids(ops).reverse());
      });

      it('filters by plan, repo, kind and status, alone and together', () => {
        const [a, b, c, d, e, f] = seed();
        expect(ids(store.list({ planId: 'home' }))).toEqual([e!.id, c!.id, a!.id]);
        expect(ids(store.list({ repoId: 'cloud' }))).toEqual([f!.id, e!.id, b!.id]);
        expect(ids(store.list({ kind: 'backup' }))).toEqual([e!.id, b!.id, a!.id]);
        expect(ids(store.list({ status: 'success' }))).toEqual([e!.id, a!.id]);
        expect(ids(store.list({ status: 'queued' }))).toEqual([f!.id, d!.id, c!.id]);
        expect(ids(store.list({ planId: 'home', repoId: 'nas', kind: 'backup' }))).toEqual([a!.id]);
        expect(ids(store.list({ planId: 'work', status: 'error' }))).toEqual([b!.id]);
        expect(store.list({ planId: 'nobody' })).toEqual([]);
      });

      it('pages by id with beforeId, without gaps or repeats', () => {
        const all = Array.from({ length: 25 }, (_, i) => store.insert(newOp({ planId: i % 2 ? 'odd' : 'even' })));
        const seen: number[] = [];
        let beforeId: number | undefined;
        for (;;) {
          const page = store.list({ limit: 7, beforeId });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(7);
          seen.push(...ids(page));
          beforeId = page[page.length - 1]!.id;
        }
        expect(seen).toEqual(ids(all).reverse());

        const evens = all.filter((o) => o.planId === 'even');
        const firstPage = store.list({ planId: 'even', limit: 5 });
        const secondPage = store.list({ planId: 'even', limit: 5, beforeId: firstPage[4]!.id });
        expect([...ids(firstPage), ...ids(secondPage)]).toEqual(ids(evens).reverse().slice(0, 10));
        expect(store.list({ beforeId: all[0]!.id })).toEqual([]);
      });

      it('limits to 100 by default and to 1000 at most; 0 gives nothing', () => {
        for (let i = 0; i < 1005; i++) store.insert(newOp());
        expect(store.list()).toHaveLength(100);
        expect(store.list({ limit: 5000 })).toHaveLength(1000);
        expect(store.list({ limit: 3 })).toHaveLength(3);
        expect(store.list({ limit: 0 })).toEqual([]);
      });
    });

    describe('live operations', () => {
      it('lists queued, running and stalled, oldest first', () => {
        const statuses: OpStatus[] = [
          'running',
          'success',
          'queued',
          'error',
          'stalled',
          'cancelled',
          'interrupted',
          'warning',
          'queued',
        ];
        const ops = statuses.map((status) => {
          const op = store.insert(newOp());
          return store.update(op.id, { status });
        });
        const live = store.listLive();
        expect(live.map((o) => o.status)).toEqual(['running', 'queued', 'stalled', 'queued']);
        expect(live.map((o) => o.id)).toEqual([ops[0]!.id, ops[2]!.id, ops[4]!.id, ops[8]!.id]);
        store.update(ops[0]!.id, { status: 'success' });
        expect(store.listLive().map((o) => o.id)).toEqual([ops[2]!.id, ops[4]!.id, ops[8]!.id]);
      });
    });

    describe('last operation per plan', () => {
      function add(planId: string | null, kind: OpKind, status: OpStatus): Operation {
        return store.update(store.insert(newOp({ planId, kind })).id, { status });
      }

      it('finds the newest operation of a kind for each plan', () => {
        add('home', 'backup', 'success');
        const home = add('home', 'backup', 'error');
        add('home', 'forget', 'success');
        const work = add('work', 'backup', 'running');
        add(null, 'backup', 'success');
        const zed = add('zed', 'backup', 'queued');
        add('only-prune', 'prune', 'success');

        const last = store.lastByPlan('backup');
        expect([...last.keys()].sort()).toEqual(['home', 'work', 'zed']);
        expect(last.get('home')).toEqual(home);
        expect(last.get('work')).toEqual(work);
        expect(last.get('zed')).toEqual(zed);
        expect(store.lastByPlan('restore').size).toBe(0);
      });

      it('finds the newest operation with one of the statuses', () => {
        const homeOk = add('home', 'backup', 'success');
        add('home', 'backup', 'error');
        add('home', 'backup', 'error');
        const homeWarn = add('home', 'forget', 'warning');
        const workWarn = add('work', 'backup', 'warning');
        add('work', 'backup', 'success');
        const workWarn2 = add('work', 'backup', 'warning');
        add('never', 'backup', 'error');

        const ok = store.lastByPlanWithStatus('backup', ['success']);
        expect([...ok.keys()].sort()).toEqual(['home', 'work']);
        expect(ok.get('home')).toEqual(homeOk);

        const saved = store.lastByPlanWithStatus('backup', ['success', 'warning']);
        expect(saved.get('home')).toEqual(homeOk);
        expect(saved.get('work')).toEqual(workWarn2);
        expect(saved.has('never')).toBe(false);
        expect(workWarn.id).toBeLessThan(workWarn2.id);
        expect(store.lastByPlanWithStatus('forget', ['warning']).get('home')).toEqual(homeWarn);
        expect(store.lastByPlanWithStatus('backup', []).size).toBe(0);
      });
    });

    describe('log lines', () => {
      it('keeps lines in order with seq from 1, per operation, and pages with afterSeq', () => {
        const a = store.insert(newOp());
        const b = store.insert(newOp());
        store.appendLog(a.id, 'stdout', 'a1', '2026-02-01T10:00:00.000Z');
        store.appendLog(b.id, 'stderr', 'b1');
        store.appendLog(a.id, 'stderr', 'a2', '2026-02-01T10:00:01.000Z');
        store.appendLog(a.id, 'backstay', 'a3', '2026-02-01T10:00:02.000Z');

        expect(store.readLog(a.id)).toEqual([
          { opId: a.id, seq: 1, time: '2026-02-01T10:00:00.000Z', stream: 'stdout', text: 'a1' },
          { opId: a.id, seq: 2, time: '2026-02-01T10:00:01.000Z', stream: 'stderr', text: 'a2' },
          { opId: a.id, seq: 3, time: '2026-02-01T10:00:02.000Z', stream: 'backstay', text: 'a3' },
        ]);
        expect(store.readLog(b.id).map((l) => [l.seq, l.text])).toEqual([[1, 'b1']]);
        expect(store.readLog(a.id, 1).map((l) => l.text)).toEqual(['a2', 'a3']);
        expect(store.readLog(a.id, 1, 1).map((l) => l.text)).toEqual(['a2']);
        expect(store.readLog(a.id, 3)).toEqual([]);
        expect(store.readLog(999)).toEqual([]);
        expect(Date.parse(store.readLog(b.id)[0]!.time)).not.toBeNaN();
      });

      it('keeps the first and the last lines of a long log and drops the middle', () => {
        const op = store.insert(newOp());
        const total = LOG_HEAD_LINES + LOG_TAIL_LINES + 500;
        for (let i = 1; i <= total; i++) store.appendLog(op.id, 'stdout', `line ${i}`);
        const lines = store.readLog(op.id);
        expect(lines).toHaveLength(LOG_HEAD_LINES + LOG_TAIL_LINES);
        const seqs = lines.map((l) => l.seq);
        expect(seqs.slice(0, LOG_HEAD_LINES)).toEqual(Array.from({ length: LOG_HEAD_LINES }, (_, i) => i + 1));
        expect(seqs[LOG_HEAD_LINES]).toBe(total - LOG_TAIL_LINES + 1);
        expect(seqs[seqs.length - 1]).toBe(total);
        expect(lines.every((l) => l.text === `line ${l.seq}`)).toBe(true);
        // The next line still gets the next seq, and the window moves on.
        store.appendLog(op.id, 'stdout', 'one more');
        const after = store.readLog(op.id, total);
        expect(after.map((l) => [l.seq, l.text])).toEqual([[total + 1, 'one more']]);
        expect(store.readLog(op.id)).toHaveLength(LOG_HEAD_LINES + LOG_TAIL_LINES);
      });

      it('cuts an over-long line instead of storing it whole', () => {
        const op = store.insert(newOp());
        store.appendLog(op.id, 'stderr', 'x'.repeat(LOG_MAX_LINE_CHARS * 10));
        const [line] = store.readLog(op.id);
        expect(line!.text.length).toBe(LOG_MAX_LINE_CHARS);
        expect(line!.text.endsWith('[line cut]')).toBe(true);
      });

      it('refuses lines for an unknown operation or stream', () => {
        const op = store.insert(newOp());
        expectBackstayError(() => store.appendLog(31337, 'stdout', 'x'), 'UNKNOWN_OPERATION');
        expectBackstayError(() => store.appendLog(op.id, 'console' as 'stdout', 'x'), 'BAD_PARAMS');
        expect(store.readLog(op.id)).toEqual([]);
      });
    });

    describe('meta', () => {
      it('stores, replaces and removes values', () => {
        expect(store.getMeta('schedules.paused')).toBeNull();
        store.setMeta('schedules.paused', 'true');
        store.setMeta('other', '');
        expect(store.getMeta('schedules.paused')).toBe('true');
        expect(store.getMeta('other')).toBe('');
        store.setMeta('schedules.paused', 'false');
        expect(store.getMeta('schedules.paused')).toBe('false');
        store.setMeta('schedules.paused', null);
        expect(store.getMeta('schedules.paused')).toBeNull();
        store.setMeta('never-set', null);
        expect(store.getMeta('never-set')).toBeNull();
      });
    });

    describe('close', () => {
      it('is idempotent and later calls fail with STORAGE_FAILED', () => {
        const op = store.insert(newOp());
        store.close();
        store.close();
        expectBackstayError(() => store.get(op.id), 'STORAGE_FAILED');
        expectBackstayError(() => store.list(), 'STORAGE_FAILED');
        expectBackstayError(() => store.insert(newOp()), 'STORAGE_FAILED');
        expectBackstayError(() => store.setMeta('k', 'v'), 'STORAGE_FAILED');
      });
    });
  });
}
