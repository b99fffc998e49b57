// Params schemas of the RPC methods. Strict: an unknown key is a mistake worth reporting.
import { z } from 'zod';
import { OP_KINDS, LIVE_STATUSES, TERMINAL_STATUSES, RESTORE_OVERWRITE_MODES } from '../../common/index.js';
import { ID_PATTERN, planSchema, repoSchema, scheduleSchema } from '../config/schema.js';

const id = z.string().regex(ID_PATTERN, 'must be an id like "home" (a-z, 0-9, _ and -)');
const opId = z.number().int().positive();
const snapshotId = z.string().regex(/^[0-9a-f]{4,64}$/i, 'must be a snapshot id (hex)');

export const empty = z.strictObject({});
export const planRef = z.strictObject({ planId: id, trigger: z.enum(['manual', 'tray']).optional() });
export const opRef = z.strictObject({ opId });
export const repoRef = z.strictObject({ repoId: id });
export const copyNow = z.strictObject({ planId: id, repo: id.optional() });
export const initRepo = z.strictObject({ repoId: id, copyChunkerParamsFrom: id.optional() });
export const checkParams = z.strictObject({ repoId: id, readDataSubset: z.string().max(32).optional() });
export const opsList = z.strictObject({
  planId: id.optional(),
  repoId: id.optional(),
  kind: z.enum(OP_KINDS).optional(),
  status: z.enum([...LIVE_STATUSES, ...TERMINAL_STATUSES]).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  beforeId: opId.optional(),
});
export const opsLog = z.strictObject({ opId, afterSeq: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(5000).optional() });
export const snapshotsList = z.strictObject({ repoId: id, planId: id.optional() });
export const snapshotsBrowse = z.strictObject({ repoId: id, snapshotId, path: z.string().min(1).max(4096) });
export const snapshotsSearch = z.strictObject({
  repoId: id,
  snapshotId,
  query: z.string().min(1).max(256),
  limit: z.number().int().min(1).max(1000).optional(),
});
const isoTime = z.string().datetime({ offset: true });
export const snapshotsHistory = z.strictObject({ repoId: id, path: z.string().min(1).max(4096), planId: id.optional(), host: z.string().min(1).max(256).optional() });
export const snapshotsFindAll = z.strictObject({
  repoId: id,
  query: z.string().min(1, 'must not be empty').max(256),
  planId: id.optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});
export const snapshotsDeleted = z.strictObject({ repoId: id, path: z.string().min(1).max(4096) });
export const snapshotsDiff = z.strictObject({ repoId: id, snapshotA: snapshotId, snapshotB: snapshotId });
export const restoreStart = z.strictObject({
  repoId: id,
  snapshotId,
  paths: z.array(z.string().min(1).max(4096)).max(1000).optional(),
  target: z.string().min(1).max(4096),
  overwrite: z.boolean().optional(),
  overwriteMode: z.enum(RESTORE_OVERWRITE_MODES).optional(),
  flatten: z.boolean().optional(),
  originalLocation: z.boolean().optional(),
});
export const pruneParams = z.strictObject({ repoId: id, dryRun: z.boolean().optional() });
export const snapshotRef = z.strictObject({ repoId: id, snapshotId });
export const saveRepo = z.strictObject({ repo: repoSchema, create: z.boolean().optional() });
export const setPassword = z.strictObject({ repoId: id, password: z.string().min(1, 'must not be empty').max(4096) });
export const importSource = z.strictObject({
  from: z.enum(['backrest', 'resticprofile', 'backstay']),
  text: z.string().min(1, 'must not be empty').max(4 * 1024 * 1024),
  fileName: z.string().min(1).max(4096).optional(),
  passphrase: z.string().min(1).max(4096).optional(),
});
export const savePlan = z.strictObject({ plan: planSchema, create: z.boolean().optional() });
export const deletePlan = z.strictObject({ planId: id });
export const saveSettings = z.strictObject({ settings: z.record(z.string(), z.unknown()) });
export const pause = z.strictObject({ until: z.string().datetime({ offset: true }).nullable() });
export const slowDown = z.strictObject({
  minutes: z.number().int().min(1).max(7 * 24 * 60),
  uploadKiBs: z.number().int().min(1).max(10 * 1024 * 1024).optional(),
});
export const preview = z.strictObject({ schedule: scheduleSchema, count: z.number().int().min(1).max(20).optional() });
