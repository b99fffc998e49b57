import { useEffect, useState } from 'react';
import type { Operation } from '../../../../../main/common/index.js';
import { isLive } from '../../../model.js';
import { toRpcError, useActions } from '../../../store/index.js';

/** How often a started preview is read again until it ended. */
export const FINISHED_POLL_MS = 500;

/** Follows one operation the window started until it is terminal; null while it runs (or before it started). */
export function useFinishedOp(opId: number | null): { op: Operation | null; readError: string | null } {
  const { repos } = useActions();
  const [op, setOp] = useState<Operation | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  useEffect(() => {
    setOp(null);
    setReadError(null);
    if (opId === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      try {
        const current = await repos.operation(opId);
        if (stopped) return;
        setReadError(null);
        if (isLive(current.status)) timer = setTimeout(() => void check(), FINISHED_POLL_MS);
        else setOp(current);
      } catch (err) {
        if (stopped) return;
        setReadError(toRpcError(err).message);
        timer = setTimeout(() => void check(), FINISHED_POLL_MS * 4);
      }
    };
    void check();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [repos, opId]);
  return { op, readError };
}
