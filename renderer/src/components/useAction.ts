import { useCallback, useEffect, useRef, useState } from 'react';
import { toRpcError } from '../client/index.js';

export interface ActionState {
  busy: boolean;
  /** The failure in the host's words. */
  error: string | null;
  /** A short confirmation (e.g. "Started operation #12."). */
  message: string | null;
}

/** Runs one user action at a time and remembers how it went, to show beside the control that started it. */
export function useAction() {
  const [state, setState] = useState<ActionState>({ busy: false, error: null, message: null });
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async <T,>(work: () => Promise<T>, describe?: (result: T) => string | null) => {
    setState({ busy: true, error: null, message: null });
    try {
      const result = await work();
      if (mounted.current) setState({ busy: false, error: null, message: describe ? describe(result) : null });
      return result;
    } catch (err) {
      if (mounted.current) setState({ busy: false, error: toRpcError(err).message, message: null });
      return undefined;
    }
  }, []);
  const clear = useCallback(() => setState({ busy: false, error: null, message: null }), []);
  return { ...state, run, clear };
}

/** Loads data for a view and reloads when `deps` change; keeps the last good data while reloading. */
export function useLoad<T>(load: (() => Promise<T>) | null, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (!load) {
      setData(null);
      return;
    }
    let live = true;
    setLoading(true);
    setError(null);
    load().then(
      (d) => {
        if (live) {
          setData(d);
          setLoading(false);
        }
      },
      (err: unknown) => {
        if (live) {
          setError(toRpcError(err).message);
          setLoading(false);
        }
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}
