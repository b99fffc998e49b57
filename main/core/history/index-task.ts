// The `index` operation: brings a repository's history index up to date as a visible, cancellable operation in
// the repository's queue. It is low priority: the orchestrator queues other work before it, and between two
// snapshots it stops when anything else waits for the repository (a backup waits at most for the listing of the
// one snapshot being indexed); it then ends `success` with `yielded: true` and the follow-ups queue it again.
// Progress counts snapshots: `filesDone` / `totalFiles` are snapshots indexed / to index.
import { BackstayError } from '../../common/errors.js';
import type { TaskSpec } from '../jobs/task.js';
import { createResticRunner } from '../snapshots/runner.js';

export const indexTask: TaskSpec = {
  kind: 'index',
  exclusiveLock: false,
  watchStalls: false,
  args() {
    throw new BackstayError('INTERNAL', 'The index operation runs inside Backstay, not as one restic command.');
  },
  async runHere(ctx, io) {
    if (!io.history) throw new BackstayError('NOT_SUPPORTED', 'This Backstay process keeps no history index.');
    const { binary, env, secrets } = io.target;
    // The operation's own restic (with the flags of this run, e.g. bandwidth limits) for every command it runs.
    const runner = createResticRunner(async () => ({ binary, env, flags: ctx.repo.flags, secrets }));
    try {
      const result = await io.history.update(ctx.repo.id, {
        runner,
        signal: io.signal,
        log: io.log,
        shouldYield: io.othersWaiting,
        onProgress: ({ snapshotsDone, snapshotsTotal }) =>
          io.progress({ filesDone: snapshotsDone, totalFiles: snapshotsTotal, percent: snapshotsTotal === 0 ? 1 : snapshotsDone / snapshotsTotal }),
      });
      if (result.yielded) io.log(`indexed ${result.snapshotsAdded} snapshots, then made way for other work on the repository`);
      return {
        status: 'success',
        error: null,
        summary: { snapshotsAdded: result.snapshotsAdded, snapshotsRemoved: result.snapshotsRemoved, versions: result.versions, yielded: result.yielded },
      };
    } catch (err) {
      if (!(err instanceof BackstayError)) throw err;
      return { status: err.code === 'CANCELLED' ? 'cancelled' : 'error', error: { code: err.code, message: err.message, detail: err.detail } };
    }
  },
};
