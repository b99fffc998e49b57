// A fake Engine for host tests and benches: a real StatePublisherImpl, a scripted rpc, no restic.
import { BackstayError, type AppState } from '../../../common/index.js';
import type { Engine, Logger, RpcDispatcher } from '../../../core/engine-api.js';
import { StatePublisherImpl } from '../../../core/state/publisher.js';
import { appState } from '../../../core/state/testing/app-state.js';

export function makeAppState(version: number, patch: Partial<AppState> = {}): AppState {
  return appState({ version, host: 'serve', ...patch });
}

const paddingCache = new Map<number, string>();
function paddingOf(size: number): string {
  let text = paddingCache.get(size);
  if (text === undefined) paddingCache.set(size, (text = 'x'.repeat(size)));
  return text;
}

/** A running backup whose progress changes with `bytesDone`; `padding` makes the state bigger (bytes). */
export function progressState(version: number, bytesDone: number, uiUpdateHz = 4, padding = 0): AppState {
  return makeAppState(version, {
    settings: { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz },
    running: [
      {
        opId: 1,
        planId: 'home',
        repoId: 'nas',
        kind: 'backup',
        trigger: 'manual',
        status: 'running',
        createdAt: '2026-01-01T00:00:00.000Z',
        startedAt: '2026-01-01T00:00:00.000Z',
        progress: { bytesDone, totalBytes: 2 ** 31, percent: bytesDone / 2 ** 31, currentFiles: ['/data/big.bin'] },
        stalledSince: null,
        stall: null,
      },
    ],
    warnings: padding > 0 ? [{ id: 'pad', kind: 'oplog-corrupt', level: 'warning', message: paddingOf(padding) }] : [],
  });
}

export type RpcHandler = (params: unknown) => unknown;

export interface FakeEngine extends Engine {
  readonly publisher: StatePublisherImpl;
  readonly calls: Array<{ method: string; params: unknown; host: string }>;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export function createFakeEngine(opts: {
  dataDir?: string;
  initial?: AppState;
  handlers?: Record<string, RpcHandler>;
  logger?: Logger;
} = {}): FakeEngine {
  const publisher: StatePublisherImpl = new StatePublisherImpl({
    initial: opts.initial ?? makeAppState(1),
    defaultHz: (): number => publisher.current().settings.uiUpdateHz,
    logger: opts.logger,
  });
  const handlers: Record<string, RpcHandler> = {
    'state.get': () => publisher.current(),
    ...opts.handlers,
  };
  const calls: FakeEngine['calls'] = [];
  const rpc: RpcDispatcher = {
    methods: Object.keys(handlers),
    async call(method, params, ctx) {
      calls.push({ method, params, host: ctx.host });
      const handler = handlers[method];
      if (!handler) throw new BackstayError('UNKNOWN_METHOD', `Unknown method "${method}".`);
      return handler(params);
    },
    invoke(method, params) {
      return this.call(method, params, { host: 'serve' }) as never;
    },
  };
  return {
    dataDir: opts.dataDir ?? '/nonexistent',
    publisher,
    rpc,
    calls,
    state: () => publisher.current(),
    noteSuspend: () => undefined,
    noteResume: () => undefined,
    shutdown: async () => publisher.close(),
  };
}
