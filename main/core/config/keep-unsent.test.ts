// What config.savePlan / config.saveRepo do with each optional key, sent every way a form or an API client can send
// it: left out, undefined (the desktop's IPC keeps it, JSON drops it), empty, null, or a new value. The tables are
// written out here on purpose, not taken from the key lists in schema.ts: a key dropped from a list fails its rows.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldIssuesError } from '../../common/index.js';
import type { PlanInput, RepoInput } from '../../common/rpc.js';
import { silentLogger } from '../logging.js';
import { startEngine, type EngineInternals } from '../engine.js';
import { createWorkspace, type Workspace } from '../../../test/helpers/workspace.js';
import { keepUnsent } from './keep-unsent.js';

type Sent = 'absent' | 'undefined' | 'empty' | 'null' | 'new';

/** A key a form may leave out: the stored value stays unless the save sends the key (empty clears it). */
interface KeptKey {
  key: string;
  /** Stored before the save, as the engine holds it (defaults filled in). */
  stored: unknown;
  empty: unknown;
  /** What `empty` is saved as. */
  emptySaved: unknown;
  next: unknown;
  nextSaved: unknown;
}

/** A key that each form always sends (or leaves out to remove): left out, it is removed or back at its default. */
interface SentByFormKey {
  key: string;
  stored: unknown;
  /** What the entry holds after a save without the key (undefined: no key). */
  whenLeftOut: unknown;
}

const PLAN_KEPT: KeptKey[] = [
  {
    key: 'conditions',
    stored: { onBattery: 'skip', onMetered: 'run', requireReachable: true, minBatteryPercent: 30 },
    empty: {},
    emptySaved: { onBattery: 'run', onMetered: 'run', requireReachable: false },
    next: { onMetered: 'skip' },
    nextSaved: { onBattery: 'run', onMetered: 'skip', requireReachable: false },
  },
  {
    key: 'hooks',
    stored: [{ on: ['error'], url: 'https://hc-ping.com/x' }],
    empty: [],
    emptySaved: [],
    next: [{ on: ['success'], command: 'true', timeoutMs: 5000 }],
    nextSaved: [{ on: ['success'], command: 'true', timeoutMs: 5000 }],
  },
];

const REPO_KEPT: KeptKey[] = [
  {
    key: 'limits',
    stored: { uploadKiBs: 2048, rules: [{ days: ['sat'], from: '01:00', to: '05:00', downloadKiBs: 100 }] },
    empty: {},
    emptySaved: { rules: [] },
    next: { downloadKiBs: 512 },
    nextSaved: { downloadKiBs: 512, rules: [] },
  },
  {
    key: 'maintenance',
    stored: { prune: { cron: '0 4 * * 0' }, check: null, checkReadDataSubset: '5%' },
    empty: {},
    emptySaved: { prune: null, check: null },
    next: { check: { everyMinutes: 1440 } },
    nextSaved: { prune: null, check: { everyMinutes: 1440 } },
  },
];

const PLAN_SENT_BY_FORM: SentByFormKey[] = [
  { key: 'excludes', stored: ['*.tmp'], whenLeftOut: [] },
  { key: 'schedule', stored: { everyMinutes: 60 }, whenLeftOut: null },
  { key: 'retention', stored: { keepLast: 3 }, whenLeftOut: null },
  // The plan form sends the mirrors and restore tests the plan has; the plan page's extras panel removes the restore
  // tests by leaving `verify` out (or undefined).
  { key: 'mirrors', stored: [{ repo: 'offsite', retention: { keepDaily: 7 }, schedule: null, warnAfterDays: 3 }], whenLeftOut: undefined },
  { key: 'verify', stored: { schedule: null, files: 5, maxMiB: 10 }, whenLeftOut: undefined },
];

const REPO_SENT_BY_FORM: SentByFormKey[] = [
  { key: 'env', stored: { B2_ACCOUNT_ID: 'me' }, whenLeftOut: {} },
  { key: 'flags', stored: ['--no-cache'], whenLeftOut: [] },
];

const SENDS: Sent[] = ['absent', 'undefined', 'empty', 'null', 'new'];

function withKey(entry: Record<string, unknown>, key: string, value: unknown, present: boolean): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = entry;
  return present ? { ...rest, [key]: value } : rest;
}

function sentValue(row: KeptKey, sent: Sent): { present: boolean; value: unknown } {
  switch (sent) {
    case 'absent':
      return { present: false, value: undefined };
    case 'undefined':
      return { present: true, value: undefined };
    case 'empty':
      return { present: true, value: row.empty };
    case 'null':
      return { present: true, value: null };
    case 'new':
      return { present: true, value: row.next };
  }
}

interface Entity {
  name: 'plan' | 'repo';
  kept: KeptKey[];
  sentByForm: SentByFormKey[];
  /** An entry with only its required keys. */
  base(ws: Workspace, id?: string): Record<string, unknown>;
  save(engine: EngineInternals, entry: Record<string, unknown>): Promise<unknown>;
  saved(engine: EngineInternals, id?: string): unknown;
}

const ENTITIES: Entity[] = [
  {
    name: 'plan',
    kept: PLAN_KEPT,
    sentByForm: PLAN_SENT_BY_FORM,
    base: (ws, id = 'home') => ({ id, repo: 'local', paths: [ws.sourceDir] }),
    save: (engine, plan) => engine.rpc.invoke('config.savePlan', { plan: plan as unknown as PlanInput }),
    saved: (engine, id = 'home') => engine.config().plans.find((p) => p.id === id),
  },
  {
    name: 'repo',
    kept: REPO_KEPT,
    sentByForm: REPO_SENT_BY_FORM,
    base: (ws, id = 'local') => ({ id, uri: ws.repoPath, password: { file: ws.passwordFile } }),
    save: (engine, repo) => engine.rpc.invoke('config.saveRepo', { repo: repo as unknown as RepoInput }),
    saved: (engine, id = 'local') => engine.config().repos.find((r) => r.id === id),
  },
];

describe.each(ENTITIES)('config.save of a $name: what the save did not send', (entity) => {
  let ws: Workspace;
  let engine: EngineInternals;
  beforeAll(async () => {
    ws = await createWorkspace({ init: false, files: 1 });
    await ws.writeConfig({
      repos: [
        { id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile } },
        { id: 'offsite', uri: path.join(ws.root, 'offsite'), password: { file: ws.passwordFile } },
      ],
    });
    engine = await startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
  });
  afterAll(async () => {
    await engine?.shutdown();
    await ws?.cleanup();
  });

  /** The entry as stored before each save: every key of both tables set (saved whole, each key sent). */
  const storedEntry = () => {
    const entry = entity.base(ws);
    for (const row of [...entity.kept, ...entity.sentByForm]) entry[row.key] = row.stored;
    return entry;
  };

  const cases = entity.kept.flatMap((row) => SENDS.map((sent) => ({ row, sent })));
  it.each(cases)('$row.key sent $sent', async ({ row, sent }) => {
    await entity.save(engine, storedEntry());
    expect(entity.saved(engine)).toEqual(storedEntry());
    const { present, value } = sentValue(row, sent);
    const saving = entity.save(engine, withKey(storedEntry(), row.key, value, present));
    if (sent === 'null') {
      // None of these keys is nullable: null is refused on its field (clear with the empty value), nothing is saved.
      const error = await saving.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FieldIssuesError);
      expect((error as FieldIssuesError).issues.map((i) => i.path)).toEqual([[entity.name, row.key]]);
      expect(entity.saved(engine)).toEqual(storedEntry());
      return;
    }
    await saving;
    const expected = sent === 'empty' ? row.emptySaved : sent === 'new' ? row.nextSaved : row.stored;
    expect(entity.saved(engine)).toEqual({ ...storedEntry(), [row.key]: expected });
  });

  it.each(entity.kept)('$key left out of an entry that has none stays unset', async (row) => {
    const id = `fresh-${row.key}`;
    const entry: Record<string, unknown> = { ...storedEntry(), id };
    delete entry[row.key];
    await entity.save(engine, entry); // a new entry
    expect(entity.saved(engine, id)).toEqual(entry);
    await entity.save(engine, entry); // saved again over itself
    expect(entity.saved(engine, id)).toEqual(entry);
    expect(entity.saved(engine, id)).not.toHaveProperty(row.key);
  });

  const sentByFormCases = entity.sentByForm.flatMap((row) => (['absent', 'undefined'] as const).map((sent) => ({ row, sent })));
  it.each(sentByFormCases)('$row.key sent $sent is not kept (the form sends it)', async ({ row, sent }) => {
    await entity.save(engine, storedEntry());
    await entity.save(engine, withKey(storedEntry(), row.key, undefined, sent === 'undefined'));
    const saved = entity.saved(engine) as Record<string, unknown>;
    expect(saved[row.key]).toEqual(row.whenLeftOut);
  });
});

describe('keepUnsent', () => {
  interface Item {
    id: string;
    a?: string[];
    b?: { n: number };
  }
  const stored: Item = { id: 'x', a: ['kept'], b: { n: 1 } };

  it('takes each listed key the input leaves undefined from the stored entry, and nothing else', () => {
    expect(keepUnsent<Item>({ id: 'x' }, stored, ['a'])).toEqual({ id: 'x', a: ['kept'] });
    expect(keepUnsent<Item>({ id: 'x', a: undefined }, stored, ['a', 'b'])).toEqual(stored);
    expect(keepUnsent<Item>({ id: 'x', a: [] }, stored, ['a'])).toEqual({ id: 'x', a: [] });
  });

  it('lists only keys that may be left out (a required key or one with a default is always sent)', () => {
    // @ts-expect-error `id` is required: a save always has it
    expect(keepUnsent<Item>({ id: 'x' }, stored, ['id'])).toEqual({ id: 'x' });
  });

  it('answers the input itself when there is nothing to keep (a new entry, or every key sent)', () => {
    const input: Item = { id: 'x', a: ['new'] };
    expect(keepUnsent(input, undefined, ['a', 'b'])).toBe(input);
    expect(keepUnsent(input, { id: 'x' }, ['a', 'b'])).toBe(input);
    expect(keepUnsent(input, stored, ['a'])).toBe(input);
  });

  it('never changes the input or the stored entry', () => {
    const input: Item = { id: 'x' };
    const kept = keepUnsent(input, stored, ['a', 'b']);
    expect(input).toEqual({ id: 'x' });
    expect(stored).toEqual({ id: 'x', a: ['kept'], b: { n: 1 } });
    expect(kept).not.toBe(input);
  });
});
