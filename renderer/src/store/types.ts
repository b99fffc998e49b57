import type { AppState, OpKind, OpStatus, Operation } from '../../../main/common/index.js';
import type { ConnectionStatus } from '../client/index.js';
import type { Language } from '../i18n/index.js';

/** 'setup' (the guided first run) is a view but not a sidebar section: it is not in VIEWS. */
export type View = 'dashboard' | 'operations' | 'plans' | 'repos' | 'snapshots' | 'settings' | 'setup';
export const VIEWS: readonly View[] = ['dashboard', 'operations', 'plans', 'repos', 'snapshots', 'settings'];

export interface StateSlice {
  /** The host's last state, replaced whole each time (never merged). */
  appState: AppState | null;
  applyState(state: AppState): void;
}

export interface ConnectionSlice {
  connection: ConnectionStatus;
  setConnection(status: ConnectionStatus): void;
}

export interface OpsFilter {
  planId?: string;
  repoId?: string;
  kind?: OpKind;
  status?: OpStatus;
}

export interface OpsCache {
  filter: OpsFilter;
  /** Newest first, as ops.list pages them. */
  items: Operation[];
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  /** Bumped when the filter changes, so answers to an older query are dropped. */
  generation: number;
}

export interface OpsSlice {
  ops: OpsCache;
  setOpsFilter(filter: OpsFilter): void;
  opsLoadStarted(): void;
  /** An older page (beforeId) arrived. */
  opsPageLoaded(generation: number, page: Operation[], pageSize: number): void;
  /** The newest page arrived again: new operations go on top, known ones are refreshed. */
  opsHeadLoaded(generation: number, page: Operation[], pageSize: number): void;
  opsLoadFailed(generation: number, message: string): void;
}

export interface PrefsSlice {
  language: Language;
  view: View;
  /** An operation the Operations view should select when it opens (then cleared). */
  focusOpId: number | null;
  setLanguage(language: Language): void;
  setView(view: View): void;
  /** Switch to the Operations view with this operation selected. */
  openOperation(opId: number): void;
  clearFocusOp(): void;
}

/**
 * Cancels the user asked for that the state does not confirm yet (the operation is not `cancelling` in the next
 * state). Only the Cancel button reads it, to go disabled at once; every status word follows the engine's state.
 */
export interface CancelSlice {
  cancelsRequested: ReadonlySet<number>;
  cancelRequested(opId: number): void;
  /** ops.cancel failed: the button comes back (its error is shown beside it). */
  cancelFailed(opId: number): void;
}

export type AppStoreState = StateSlice & ConnectionSlice & OpsSlice & PrefsSlice & CancelSlice;
