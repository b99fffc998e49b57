import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpStatus } from '../../common/index.js';
import { createMemoryStore } from '../oplog/memory-store.js';
import { rememberReposToUnlock, takeReposToUnlock } from '../oplog/pending-unlock.js';
import type { ReconcileDeps } from '../oplog/reconcile.js';
import type { OpStore } from '../oplog/store.js';
import { reconcileAtStartup } from './startup.js';

const DEAD = { ownerPid: 200, ownerStartedAt: '2026-03-01T09:00:00.000Z' };
const deps: ReconcileDeps = { isAlive: () => false, killOrphanRestic: () => undefined, now: () => '2026-03-01T12:00:00.000Z' };
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function addLive(store: OpStore, repoId: string, status: OpStatus) {
  const op = store.insert({ kind: 'backup', trigger: 'manual', planId: 'home', repoId, ...DEAD });
  return store.update(op.id, { status });
}

describe('reconcileAtStartup', () => {
  let dir: string;
  let store: OpStore;
  let fakeRestic: string;
  let calls: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'backstay-startup-'));
    store = createMemoryStore();
    calls = join(dir, 'calls');
    fakeRestic = join(dir, 'restic');
    // Records which repository each `restic unlock` ran against.
    writeFileSync(fakeRestic, `#!/bin/sh\necho "$REPO $*" >> "${calls}"\n`);
    chmodSync(fakeRestic, 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const unlocked = (): string[] => {
    try {
      return readFileSync(calls, 'utf8').trim().split('\n');
    } catch {
      return []; // restic never ran
    }
  };

  it('without restic (`backstay ops`): interrupts the dead owners\' operations and remembers where locks may be left', () => {
    const running = addLive(store, 'nas', 'running');
    addLive(store, 'usb', 'queued'); // never ran restic: holds no lock
    const result = reconcileAtStartup(store, { unlock: null, deps });
    expect(result.interrupted.map((op) => [op.id, op.status])).toEqual([
      [running.id, 'interrupted'],
      [running.id + 1, 'interrupted'],
    ]);
    expect(takeReposToUnlock(store, false)).toEqual(['nas']);
  });

  it('with restic: unlocks the repositories remembered earlier and those found now, once each, skipping unknown ones', async () => {
    rememberReposToUnlock(store, ['usb', 'gone', 'nas']);
    addLive(store, 'nas', 'running');
    const result = reconcileAtStartup(store, {
      logger: silent,
      deps,
      unlock: {
        knows: (repoId) => repoId !== 'gone',
        repoEnv: async (repoId) => ({ binary: fakeRestic, env: { REPO: repoId } }),
      },
    });
    await result.unlocked;
    expect(unlocked()).toEqual(['usb unlock', 'nas unlock']);
    expect(takeReposToUnlock(store, false)).toEqual([]); // taken: the next start does not unlock again
  });

  it('a repository whose unlock cannot run is logged and the others are still unlocked', async () => {
    addLive(store, 'nas', 'running');
    addLive(store, 'usb', 'stalled');
    const warnings: unknown[] = [];
    const result = reconcileAtStartup(store, {
      logger: { ...silent, warn: (message, fields) => void warnings.push([message, fields?.repoId]) },
      deps,
      unlock: {
        knows: () => true,
        repoEnv: async (repoId) => {
          if (repoId === 'nas') throw new Error('no password');
          return { binary: fakeRestic, env: { REPO: repoId } };
        },
      },
    });
    await result.unlocked;
    expect(unlocked()).toEqual(['usb unlock']);
    expect(warnings).toEqual([
      ['operation interrupted by a dead process', undefined],
      ['operation interrupted by a dead process', undefined],
      ['could not remove stale locks', 'nas'],
    ]);
  });
});
