// The operation log seen by the engine. Two implementations: SQLite (the real one) and in-memory (tests, and a
// fallback when the database cannot be opened); one contract test suite runs against both.
import type {
  ItemError,
  OpError,
  OpKind,
  OpLogLine,
  OpStatus,
  OpTrigger,
  Operation,
  OperationParams,
  OperationSummary,
  Progress,
  StallEvidence,
} from '../../common/index.js';

export interface NewOperation {
  kind: OpKind;
  trigger: OpTrigger;
  planId: string | null;
  repoId: string;
  status?: 'queued' | 'running'; // default queued
  retryOf?: number | null;
  params?: OperationParams | null;
  /** The Backstay process that supervises it. */
  ownerPid: number;
  ownerStartedAt: string; // ISO
  createdAt?: string; // ISO, default now
}

/** A partial update; fields left undefined are unchanged. */
export interface OperationPatch {
  status?: OpStatus;
  startedAt?: string | null;
  endedAt?: string | null;
  snapshotId?: string | null;
  error?: OpError | null;
  progress?: Progress | null;
  summary?: OperationSummary | null;
  stalledSince?: string | null;
  stall?: StallEvidence | null;
  itemErrors?: ItemError[];
  resticPid?: number | null;
  params?: OperationParams | null;
}

export interface ListQuery {
  planId?: string;
  repoId?: string;
  kind?: OpKind;
  status?: OpStatus;
  /** Only operations with id < beforeId (paging newest first). */
  beforeId?: number;
  limit?: number; // default 100, max 1000
}

export interface OpStore {
  insert(op: NewOperation): Operation;
  update(id: number, patch: OperationPatch): Operation;
  get(id: number): Operation | null;
  /** Newest first. */
  list(query?: ListQuery): Operation[];
  /** All operations in a live status (queued, running, stalled), oldest first. */
  listLive(): Operation[];
  /** Last operation per plan for the given kind (for the dashboard), keyed by planId. */
  lastByPlan(kind: OpKind): Map<string, Operation>;
  /** Last operation per plan with one of the statuses (e.g. last success). */
  lastByPlanWithStatus(kind: OpKind, statuses: OpStatus[]): Map<string, Operation>;
  appendLog(opId: number, stream: OpLogLine['stream'], text: string, time?: string): void;
  /** Log lines in order; afterSeq for paging. */
  readLog(opId: number, afterSeq?: number, limit?: number): OpLogLine[];
  /** Small key/value store for host state that must survive restarts (e.g. schedule pause). */
  getMeta(key: string): string | null;
  setMeta(key: string, value: string | null): void;
  close(): void;
}
