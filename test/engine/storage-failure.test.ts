// Invariant 3: a failing database write (disk full, read-only, locked) never stops or slows the running restic.
// The orchestrator runs a real restic backup against a store whose writes all fail once restic runs; the backup
// still finishes, its end is in the in-memory state, and the failure is surfaced as a warning.
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createMemoryStore } from '../../main/core/oplog/memory-store.js';
import { ProgressWriter } from '../../main/core/oplog/progress-writer.js';
import type { OpStore } from '../../main/core/oplog/store.js';
import { Orchestrator } from '../../main/core/jobs/orchestrator.js';
import { AppStateStore, emptyAppState } from '../../main/core/state/app-state.js';
import { validateConfig } from '../../main/core/config/validate.js';
import { findResticBinary, readResticVersion } from '../../main/core/restic/binary.js';
import { silentLogger } from '../../main/core/logging.js';
import { BackstayError } from '../../main/common/errors.js';
import type { Settings } from '../../main/common/index.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';

const fixture = useEngineFixture();

function failingAfterInsert(inner: OpStore): { store: OpStore; failures: () => number } {
  let failures = 0;
  const fail = () => {
    failures += 1;
    throw new BackstayError('STORAGE_FAILED', 'database or disk is full');
  };
  const store: OpStore = {
    ...inner,
    insert: (op) => inner.insert(op),
    get: (id) => inner.get(id),
    list: (q) => inner.list(q),
    listLive: () => inner.listLive(),
    lastByPlan: (k) => inner.lastByPlan(k),
    lastByPlanWithStatus: (k, s) => inner.lastByPlanWithStatus(k, s),
    readLog: (id, a, l) => inner.readLog(id, a, l),
    getMeta: (k) => inner.getMeta(k),
    setMeta: (k, v) => inner.setMeta(k, v),
    close: () => inner.close(),
    update: () => fail(),
    appendLog: () => fail(),
  };
  return { store, failures: () => failures };
}

describe('a failing oplog', () => {
  it('does not stop the backup: it ends, the state shows the end, and the failure is surfaced', async () => {
    const ws = await fixture.workspace({ files: 0 });
    for (let i = 0; i < 4; i += 1) await writeFile(path.join(ws.sourceDir, `f-${i}.bin`), randomBytes(8 * 1024 * 1024));
    const config = validateConfig(
      {
        version: 1,
        repos: [{ id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile } }],
        plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir] }],
      },
      'test-config.json',
    );
    const inner = createMemoryStore();
    const { store, failures } = failingAfterInsert(inner);
    const errors: unknown[] = [];
    const progress = new ProgressWriter(store, { intervalMs: 50, onError: (err) => errors.push(err) });
    const state = new AppStateStore(emptyAppState('cli', config.settings as Settings));
    const binary = findResticBinary({ configured: null, env: process.env });
    const version = await readResticVersion(binary);
    const orchestrator = new Orchestrator({
      store,
      progress,
      state,
      config: () => config,
      restic: async () => ({ binary, version }),
      owner: { pid: process.pid, startedAt: new Date().toISOString() },
      logger: silentLogger,
    });
    const op = orchestrator.enqueue({ kind: 'backup', repoId: 'local', planId: 'home', trigger: 'manual' });
    const finished = await orchestrator.waitFor(op.id);
    expect(finished.status).toBe('success');
    expect(finished.snapshotId).toBeTruthy();
    expect(state.current.running).toHaveLength(0);
    expect(failures()).toBeGreaterThan(0);
    expect(errors.length).toBeGreaterThan(0);
    expect(progress.failing).toBe(true);
    progress.dispose();
  });
});
