// The tasks read their own kind's params (paramsOf), and what they read reaches restic's argv.
import { describe, expect, it } from 'vitest';
import type { OpKind, OperationParams } from '../../common/index.js';
import type { RepoConfig } from '../config/schema.js';
import { resticFeatures, type ResticVersion } from '../restic/version.js';
import type { TaskContext } from './task.js';
import { TASKS } from './tasks.js';

const version: ResticVersion = { major: 0, minor: 14, patch: 0, raw: 'restic 0.14.0' };
const repo = { id: 'nas', uri: '/srv/repo', password: { file: '/p' }, flags: [] } as unknown as RepoConfig;
const ctx = (kind: OpKind, params: OperationParams | null): TaskContext => ({
  kind,
  repo,
  plan: null,
  params,
  version,
  features: resticFeatures(version),
});

describe('TASKS args from typed params', () => {
  it.each([
    { kind: 'check' as const, params: { readDataSubset: '10%' }, args: ['check', '--read-data-subset', '10%'] },
    { kind: 'check' as const, params: null, args: ['check'] },
    { kind: 'check' as const, params: { attempt: 2 }, args: ['check'] },
    {
      kind: 'restore' as const,
      params: { snapshotId: '4f1c2d3e', paths: ['/home/a[1].txt'], target: '/tmp/r', overwrite: false },
      args: ['restore', '4f1c2d3e', '--target', '/tmp/r', '--include', '/home/a\\[1].txt'],
    },
    { kind: 'restore' as const, params: { snapshotId: '4f1c2d3e', paths: [], target: '/tmp/r', overwrite: false }, args: ['restore', '4f1c2d3e', '--target', '/tmp/r'] },
  ])('$kind $params', ({ kind, params, args }) => {
    expect(TASKS[kind].args(ctx(kind, params))).toEqual(args);
  });

  it('a restore with no params recorded is refused before restic runs', () => {
    expect(() => TASKS.restore.args(ctx('restore', null))).toThrow(expect.objectContaining({ code: 'BAD_PARAMS' }));
  });
});
