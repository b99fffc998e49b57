import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OpStatus } from '../../common/index.js';
import { createMemoryStore } from './memory-store.js';
import { currentProcessIdentity, descendantPids, isPidAlive, killProcessTree, processStartTime } from '../process/process-identity.js';
import { reconcileOrphans, systemReconcileDeps, type ReconcileDeps } from './reconcile.js';
import { openSqliteStore } from './sqlite-store.js';
import type { NewOperation, OpStore } from './store.js';

const NOW = '2026-03-01T12:00:00.000Z';
const ALIVE = { ownerPid: 100, ownerStartedAt: '2026-03-01T08:00:00.000Z' };
const DEAD = { ownerPid: 200, ownerStartedAt: '2026-03-01T09:00:00.000Z' };

function fakeDeps(): ReconcileDeps & { killed: number[] } {
  const killed: number[] = [];
  return {
    killed,
    isAlive: (pid, startedAt) => pid === ALIVE.ownerPid && startedAt === ALIVE.ownerStartedAt,
    killOrphanRestic: (pid) => void killed.push(pid),
    now: () => NOW,
  };
}

function add(store: OpStore, owner: typeof ALIVE | { ownerPid: number; ownerStartedAt: string }, status: OpStatus,
  extra: Partial<NewOperation> & { resticPid?: number } = {}) {
  const { resticPid, ...rest } = extra;
  const op = store.insert({ kind: 'backup', trigger: 'manual', planId: 'home', repoId: 'nas', ...owner, ...rest });
  return store.update(op.id, { status, resticPid: resticPid ?? null });
}

describe('reconcileOrphans', () => {
  let store: OpStore;
  beforeEach(() => {
    store = createMemoryStore();
  });

  it('interrupts the live operations of dead owners, and only those', () => {
    const running = add(store, DEAD, 'running', { resticPid: 555 });
    const stalled = add(store, DEAD, 'stalled', { repoId: 'cloud', kind: 'prune', resticPid: 556 });
    const queued = add(store, DEAD, 'queued', { repoId: 'usb' });
    const again = add(store, DEAD, 'running', { repoId: 'nas' });
    const theirs = add(store, ALIVE, 'running', { resticPid: 777 });
    const done = add(store, DEAD, 'success');
    const deps = fakeDeps();

    const result = reconcileOrphans(store, deps);

    expect(result.interrupted.map((o) => o.id)).toEqual([running.id, stalled.id, queued.id, again.id]);
    expect(result.reposToUnlock.sort()).toEqual(['cloud', 'nas']); // queued never locked "usb"
    expect(deps.killed).toEqual([555, 556]);
    const stored = store.get(running.id)!;
    expect(stored).toMatchObject({ status: 'interrupted', endedAt: NOW, error: { code: 'INTERRUPTED' } });
    expect(stored.error!.message).toBe(
      'Backstay stopped while this backup was running (the process ended unexpectedly).',
    );
    expect(store.get(stalled.id)!.error!.message).toMatch(/while this prune was running/);
    expect(store.get(queued.id)!.error!.message).toMatch(/before this backup could start/);
    expect(result.interrupted[0]).toEqual(stored);
    expect(store.get(theirs.id)!.status).toBe('running');
    expect(store.get(done.id)).toEqual(done);
    expect(store.listLive().map((o) => o.id)).toEqual([theirs.id]);

    // A second pass finds nothing more to do.
    expect(reconcileOrphans(store, fakeDeps())).toEqual({ interrupted: [], reposToUnlock: [] });
  });

  it('treats an operation without a recorded owner as orphaned', () => {
    const op = store.insert({ kind: 'check', trigger: 'schedule', planId: null, repoId: 'nas', ownerPid: 0, ownerStartedAt: '' });
    store.update(op.id, { status: 'running' });
    const deps = fakeDeps();
    expect(reconcileOrphans(store, deps).interrupted.map((o) => o.id)).toEqual([op.id]);
  });
});

describe('reconcileOrphans and `cancelling`', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const sqlite = () => {
    const d = mkdtempSync(join(tmpdir(), 'backstay-reconcile-'));
    dirs.push(d);
    return openSqliteStore(join(d, 'oplog.sqlite'));
  };
  const stores: Array<[string, () => OpStore]> = [
    ['memory', () => createMemoryStore()],
    ['sqlite', sqlite],
  ];
  for (const [name, open] of stores) {
    it(`${name}: a cancelling operation is live, and after its owner died it ends cancelled, its restic stopped`, () => {
      const store = open();
      try {
        const cancelling = add(store, DEAD, 'cancelling', { resticPid: 901 });
        const theirs = add(store, ALIVE, 'cancelling', { resticPid: 902 });
        expect(store.listLive().map((o) => o.id)).toEqual([cancelling.id, theirs.id]);
        const deps = fakeDeps();
        const result = reconcileOrphans(store, deps);
        expect(result.interrupted.map((o) => o.id)).toEqual([cancelling.id]);
        expect(deps.killed).toEqual([901]);
        expect(result.reposToUnlock).toEqual(['nas']);
        expect(store.get(cancelling.id)).toMatchObject({ status: 'cancelled', endedAt: NOW, error: { code: 'CANCELLED' } });
        expect(store.get(cancelling.id)!.error!.message).toMatch(/being cancelled/);
        expect(store.get(theirs.id)!.status).toBe('cancelling');
      } finally {
        store.close();
      }
    });
  }
});

describe.runIf(process.platform === 'linux')('reconcileOrphans with real processes', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'backstay-reconcile-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.pid) killProcessTree(child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function deadOwner(): Promise<{ ownerPid: number; ownerStartedAt: string }> {
    const owner = spawn('sleep', ['30'], { stdio: 'ignore' });
    const identity = { ownerPid: owner.pid!, ownerStartedAt: processStartTime(owner.pid!)! };
    owner.kill('SIGKILL');
    await once(owner, 'exit');
    return identity;
  }

  it('kills the orphaned restic tree of a dead owner, leaves other processes and live owners alone', async () => {
    // A stand-in for an orphaned restic: a script whose command line names restic, with a child of its own.
    const script = join(dir, 'restic-stand-in.sh');
    writeFileSync(script, '#!/bin/sh\nsleep 30 &\nwait\n');
    chmodSync(script, 0o755);
    const restic = spawn(script, [], { stdio: 'ignore' });
    const innocent = spawn('sleep', ['30'], { stdio: 'ignore' }); // a pid that was reused by something else
    children.push(restic, innocent);

    const store = openSqliteStore(join(dir, 'oplog.sqlite'));
    try {
      const owner = await deadOwner();
      const orphan = add(store, owner, 'running', { resticPid: restic.pid! });
      const reused = add(store, owner, 'stalled', { resticPid: innocent.pid!, repoId: 'cloud' });
      const self = currentProcessIdentity();
      const mine = add(store, { ownerPid: self.pid, ownerStartedAt: self.startedAt }, 'running');
      await vi.waitFor(() => expect(descendantPids(restic.pid!)).toHaveLength(1), { timeout: 5000, interval: 10 });
      const resticChild = descendantPids(restic.pid!)[0]!;

      const result = reconcileOrphans(store, systemReconcileDeps({ killGraceMs: 1000 }));

      expect(result.interrupted.map((o) => o.id)).toEqual([orphan.id, reused.id]);
      expect(result.reposToUnlock.sort()).toEqual(['cloud', 'nas']);
      expect(store.get(mine.id)!.status).toBe('running');
      expect(isPidAlive(restic.pid!)).toBe(false);
      await vi.waitFor(() => expect(isPidAlive(resticChild)).toBe(false), { timeout: 5000, interval: 10 });
      expect(isPidAlive(innocent.pid!)).toBe(true);
    } finally {
      store.close();
    }
  });
});
