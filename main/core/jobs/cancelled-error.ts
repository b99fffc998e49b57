// The words for an operation that ended because someone (or something) asked it to stop.
import type { OpError } from '../../common/index.js';
import type { CancelReason } from '../supervisor/restic-process.js';

export function cancelledError(reason: CancelReason, abandoned = false): OpError {
  const message =
    reason === 'shutdown'
      ? 'Cancelled because Backstay was shutting down.'
      : reason === 'stall'
        ? 'Cancelled after making no progress for too long.'
        : reason === 'timeout'
          ? 'Stopped because it took longer than Backstay allows for it.'
          : reason === 'restart'
            ? 'Stopped to start again with the new bandwidth limit; the next run continues where this one was.'
            : 'Cancelled.';
  return {
    code: 'CANCELLED',
    message: abandoned ? `${message} restic did not exit even after being killed; it was left behind.` : message,
  };
}
