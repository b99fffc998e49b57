// What an engine test starts (workspaces, engines, rclone backends, anything else) is stopped after each test, in
// the one order that cannot hang: a frozen backend is thawed first (nothing that talks to it could end while it is
// stopped), then the test's own extras newest first (hosts, readers, child processes), then the engines (they
// cancel their restic), then the backends, and the temp dirs last. Every step runs even when one before it failed.
import { afterEach } from 'vitest';
import { startEngine, type EngineInternals } from '../../main/core/engine.js';
import { serveRepositoryOverHttp, type RcloneServer } from './rclone.js';
import { createWorkspace, type Workspace } from './workspace.js';

export interface EngineFixture {
  /** A throwaway data directory with a restic repository (createWorkspace), removed after the test. */
  workspace(opts?: Parameters<typeof createWorkspace>[0]): Promise<Workspace>;
  /** startEngine, shut down after the test (several per test are fine; shutdown is idempotent). */
  startEngine(options: Parameters<typeof startEngine>[0]): Promise<EngineInternals>;
  /** The workspace's repository on a real HTTP backend (serveRepositoryOverHttp), thawed and stopped after the test. */
  serveOverHttp(ws: Workspace): Promise<RcloneServer>;
  /** Anything else the test started; these run before the engines are shut down, the newest first. */
  onTeardown(stop: () => unknown): void;
}

/** Call at the top of a test file: registers the afterEach that tears down what each test started. */
export function useEngineFixture(): EngineFixture {
  let extras: (() => unknown)[] = [];
  let engines: EngineInternals[] = [];
  let servers: RcloneServer[] = [];
  let workspaces: Workspace[] = [];

  afterEach(async () => {
    const started = { extras, engines, servers, workspaces };
    extras = [];
    engines = [];
    servers = [];
    workspaces = [];
    const failures: unknown[] = [];
    const attempt = async (step: () => unknown) => {
      try {
        await step();
      } catch (err) {
        failures.push(err);
      }
    };
    for (const server of started.servers) await attempt(() => server.thaw());
    for (const stop of started.extras.reverse()) await attempt(stop);
    for (const engine of started.engines.reverse()) await attempt(() => engine.shutdown());
    for (const server of started.servers) await attempt(() => server.stop());
    for (const ws of started.workspaces) await attempt(() => ws.cleanup());
    if (failures.length > 0) throw failures[0];
  });

  return {
    async workspace(opts) {
      const ws = await createWorkspace(opts);
      workspaces.push(ws);
      return ws;
    },
    async startEngine(options) {
      const engine = await startEngine(options);
      engines.push(engine);
      return engine;
    },
    async serveOverHttp(ws) {
      const server = await serveRepositoryOverHttp(ws);
      servers.push(server);
      return server;
    },
    onTeardown(stop) {
      extras.push(stop);
    },
  };
}
