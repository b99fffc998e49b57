import { useCallback, useEffect, useRef, useState } from 'react';
import type { FieldIssue } from '../../../main/common/index.js';
import { ERROR_WORDS, errorText } from '../i18n/error-messages.js';
import type { Language } from '../i18n/index.js';
import { selectLanguage, toRpcError, useApp, type RpcError } from '../store/index.js';

/** A failure whose words the window already chose (in the user's language); shown as it is. */
export class ShownError extends Error {
  readonly detail: string | null;
  constructor(message: string, detail: string | null = null) {
    super(message);
    this.name = 'ShownError';
    this.detail = detail;
  }
}

export interface ActionState {
  busy: boolean;
  /** The failure in the window's own words for its code, in the user's language. */
  error: string | null;
  /** The host's words for the failure (English, specific): secondary text beside `error`. */
  errorDetail: string | null;
  /** The failure's ErrorCode (or another host's code). */
  errorCode: string | null;
  /** Every problem the host found in the request's fields, for a form to show on each field. */
  issues: FieldIssue[];
  /** A short confirmation (e.g. "Started operation #12."). */
  message: string | null;
}

const NO_ISSUES: FieldIssue[] = [];

/** What a failure looks like in the window: its code's words first, the host's words as the detail. */
export function describeFailure(language: Language, failure: RpcError | ShownError | null): Pick<ActionState, 'error' | 'errorDetail' | 'errorCode' | 'issues'> {
  if (!failure) return { error: null, errorDetail: null, errorCode: null, issues: NO_ISSUES };
  if (failure instanceof ShownError) return { error: failure.message, errorDetail: failure.detail, errorCode: null, issues: NO_ISSUES };
  // The fields say what is wrong, each on its own; the host's one-line summary of them would only repeat it.
  if (failure.issues.length > 0) return { error: ERROR_WORDS[language].fieldsMarked, errorDetail: null, errorCode: failure.code, issues: failure.issues };
  const error = errorText(language, failure.code);
  return { error, errorDetail: failure.message && failure.message !== error ? failure.message : null, errorCode: failure.code, issues: NO_ISSUES };
}

interface RunState {
  busy: boolean;
  failure: RpcError | ShownError | null;
  message: string | null;
}

/** Runs one user action at a time and remembers how it went, to show beside the control that started it. */
export function useAction() {
  const language = useApp(selectLanguage);
  const [state, setState] = useState<RunState>({ busy: false, failure: null, message: null });
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async <T,>(work: () => Promise<T>, describe?: (result: T) => string | null) => {
    setState({ busy: true, failure: null, message: null });
    try {
      const result = await work();
      if (mounted.current) setState({ busy: false, failure: null, message: describe ? describe(result) : null });
      return result;
    } catch (err) {
      if (mounted.current) setState({ busy: false, failure: err instanceof ShownError ? err : toRpcError(err), message: null });
      return undefined;
    }
  }, []);
  const clear = useCallback(() => setState({ busy: false, failure: null, message: null }), []);
  // Words are chosen at render time, so switching the language re-words an error already on screen.
  const shown: ActionState = { busy: state.busy, message: state.message, ...describeFailure(language, state.failure) };
  return { ...shown, run, clear };
}

/** Loads data for a view and reloads when `deps` change; keeps the last good data while reloading. */
export function useLoad<T>(load: (() => Promise<T>) | null, deps: unknown[]) {
  const language = useApp(selectLanguage);
  const [data, setData] = useState<T | null>(null);
  const [failure, setError] = useState<RpcError | null>(null);
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
          setError(toRpcError(err));
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
  const { error, errorDetail } = describeFailure(language, failure);
  return { data, error, errorDetail, loading, reload, setData };
}

export interface KeyedLoad<T> {
  /** The data loaded for the current key; null while the current key has not loaded (never another key's data). */
  data: T | null;
  /** The failure for the current key, with the host's error code. */
  error: RpcError | null;
  /** Loading for the current key (including a reload of data already shown). */
  loading: boolean;
  reload: () => void;
}

/**
 * Loads data bound to a key (e.g. the selected repository and plan). Switching the key hides the previous key's
 * data at once (the caller shows "loading"), and an answer that arrives for a key that is no longer selected is
 * dropped, however late it comes. A reload of the same key (`refreshToken` or `reload`) keeps the data on screen.
 */
export function useKeyedLoad<T>(key: string | null, load: (() => Promise<T>) | null, refreshToken: unknown = null): KeyedLoad<T> {
  const [result, setResult] = useState<{ key: string; data: T | null; error: RpcError | null } | null>(null);
  const [loadingKey, setLoadingKey] = useState<string | null>(null);
  const [nonce, setNonce] = useState(0);
  const current = useRef<string | null>(key);
  current.current = key;
  useEffect(() => {
    if (key === null || !load) return;
    let live = true;
    setLoadingKey(key);
    load().then(
      (data) => {
        if (!live || current.current !== key) return;
        setResult({ key, data, error: null });
        setLoadingKey(null);
      },
      (err: unknown) => {
        if (!live || current.current !== key) return;
        setResult({ key, data: null, error: toRpcError(err) });
        setLoadingKey(null);
      },
    );
    return () => {
      live = false;
    };
    // The key and the refresh token say when to load; `load` is a new closure every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, refreshToken, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const mine = result !== null && key !== null && result.key === key ? result : null;
  return {
    data: mine?.data ?? null,
    error: mine?.error ?? null,
    loading: key !== null && (loadingKey === key || mine === null),
    reload,
  };
}
