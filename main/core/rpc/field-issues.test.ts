// The real schemas' findings, turned into field issues: every problem kept (not only the first), each with a code the
// window can translate, at the JSON path of its field. Table-driven over the kinds of problem a form can cause.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FIELD_ISSUE_CODES, FieldIssuesError } from '../../common/index.js';
import { planSchema, repoSchema, settingsSchema } from '../config/schema.js';
import { createDispatcher } from './method-table.js';
import { fieldIssuesFromZod } from './field-issues.js';

const savePlan = z.strictObject({ plan: planSchema });
const saveRepo = z.strictObject({ repo: repoSchema });
const goodPlan = { id: 'home', repo: 'nas', paths: ['/home/me'] };

function issuesOf(schema: z.ZodType, input: unknown, prefix: (string | number)[] = []) {
  const parsed = schema.safeParse(input);
  expect(parsed.success).toBe(false);
  return fieldIssuesFromZod(parsed.error!.issues, input, prefix).map(({ path, code, params }) => ({ path, code, ...(params ? { params } : {}) }));
}

describe('fieldIssuesFromZod', () => {
  it.each([
    ['an id with a space', { ...goodPlan, id: 'My Photos' }, { path: ['plan', 'id'], code: 'invalid_id' }],
    ['a relative folder', { ...goodPlan, paths: ['/a', 'photos'] }, { path: ['plan', 'paths', 1], code: 'not_absolute' }],
    ['a folder under ~', { ...goodPlan, paths: ['~/x'] }, { path: ['plan', 'paths', 0], code: 'home_not_expanded' }],
    ['no folder at all', { ...goodPlan, paths: [] }, { path: ['plan', 'paths'], code: 'required' }],
    ['an empty exclude', { ...goodPlan, excludes: [''] }, { path: ['plan', 'excludes', 0], code: 'required' }],
    ['a cron with a bad minute', { ...goodPlan, schedule: { cron: '61 * * * *' } }, { path: ['plan', 'schedule', 'cron'], code: 'invalid_cron' }],
    ['a cron with 4 fields', { ...goodPlan, schedule: { cron: '* * * *' } }, { path: ['plan', 'schedule', 'cron'], code: 'invalid_cron' }],
    ['zero minutes', { ...goodPlan, schedule: { everyMinutes: 0 } }, { path: ['plan', 'schedule', 'everyMinutes'], code: 'too_small', params: { minimum: 1 } }],
    ['half a minute', { ...goodPlan, schedule: { everyMinutes: 1.5 } }, { path: ['plan', 'schedule', 'everyMinutes'], code: 'not_whole_number' }],
    ['keep 0', { ...goodPlan, retention: { keepLast: 0 } }, { path: ['plan', 'retention', 'keepLast'], code: 'too_small', params: { minimum: 1 } }],
    ['keep 1.5', { ...goodPlan, retention: { keepDaily: 1.5 } }, { path: ['plan', 'retention', 'keepDaily'], code: 'not_whole_number' }],
    ['keep within "30 days"', { ...goodPlan, retention: { keepWithin: '30 days' } }, { path: ['plan', 'retention', 'keepWithin'], code: 'invalid_duration' }],
    ['an empty retention', { ...goodPlan, retention: {} }, { path: ['plan', 'retention'], code: 'retention_empty' }],
    ['no repository', { id: 'home', paths: ['/a'] }, { path: ['plan', 'repo'], code: 'required' }],
    ['an unknown key', { ...goodPlan, colour: 'red' }, { path: ['plan', 'colour'], code: 'unknown_key', params: { key: 'colour' } }],
  ])('%s', (_what, plan, expected) => {
    expect(issuesOf(savePlan, { plan })).toEqual([expected]);
  });

  // Every way a repository's bandwidth can be refused, each with the code the window words and the path it marks.
  const goodRepo = { id: 'nas', uri: '/r', password: { file: '/p' } };
  const rule = { days: ['mon'], from: '09:00', to: '17:00' };
  it.each([
    ['an upload limit of 0', { uploadKiBs: 0 }, { path: ['repo', 'limits', 'uploadKiBs'], code: 'too_small', params: { minimum: 1 } }],
    ['half a KiB/s', { downloadKiBs: 0.5 }, { path: ['repo', 'limits', 'downloadKiBs'], code: 'not_whole_number' }],
    ['over 10 GiB/s', { uploadKiBs: 20 * 1024 * 1024 }, { path: ['repo', 'limits', 'uploadKiBs'], code: 'too_big', params: { maximum: 10 * 1024 * 1024 } }],
    ['a rule with no day', { rules: [{ ...rule, days: [] }] }, { path: ['repo', 'limits', 'rules', 0, 'days'], code: 'no_day' }],
    ['a rule on "monday"', { rules: [{ ...rule, days: ['monday'] }] }, { path: ['repo', 'limits', 'rules', 0, 'days', 0], code: 'invalid_choice' }],
    ['a rule from 9:00', { rules: [rule, { ...rule, from: '9:00' }] }, { path: ['repo', 'limits', 'rules', 1, 'from'], code: 'invalid_time' }],
    ['a rule to 24:00', { rules: [{ ...rule, to: '24:00' }] }, { path: ['repo', 'limits', 'rules', 0, 'to'], code: 'invalid_time' }],
    ['a rule ending when it starts', { rules: [{ ...rule, to: '09:00' }] }, { path: ['repo', 'limits', 'rules', 0], code: 'same_times' }],
    ['a rule limit of 0', { rules: [{ ...rule, uploadKiBs: 0 }] }, { path: ['repo', 'limits', 'rules', 0, 'uploadKiBs'], code: 'too_small', params: { minimum: 1 } }],
  ])('%s', (_what, limits, expected) => {
    expect(issuesOf(saveRepo, { repo: { ...goodRepo, limits } })).toEqual([expected]);
  });

  it('keeps every problem of one request, in field order', () => {
    const issues = issuesOf(savePlan, { plan: { id: 'home', repo: 'nas', paths: ['/a', 'rel'], schedule: { cron: '61 * * * *' } } });
    expect(issues.map((i) => i.path)).toEqual([
      ['plan', 'paths', 1],
      ['plan', 'schedule', 'cron'],
    ]);
  });

  it('repository and settings problems', () => {
    expect(issuesOf(saveRepo, { repo: { id: 'x', uri: '', password: { file: '' } } }).map((i) => [i.path, i.code])).toEqual([
      [['repo', 'uri'], 'required'],
      [['repo', 'password', 'file'], 'required'],
    ]);
    expect(issuesOf(saveRepo, { repo: { id: 'x', uri: '/r', password: {} } })).toEqual([{ path: ['repo', 'password'], code: 'invalid_choice' }]);
    const settings = issuesOf(settingsSchema, { stallAfterSeconds: -1, uiUpdateHz: 100 }, ['settings']);
    expect(settings.map((i) => [i.path, i.code])).toEqual([
      [['settings', 'stallAfterSeconds'], 'too_small'],
      [['settings', 'uiUpdateHz'], 'too_big'],
    ]);
    expect(settings[1]!.params).toEqual({ maximum: 60 });
  });

  it('every code it produces is one the window knows', () => {
    const all = [
      ...issuesOf(savePlan, { plan: { id: 'A B', repo: '', paths: ['x', '~'], excludes: [''], schedule: { cron: 'x' }, retention: { keepLast: 0, keepWithin: 'x' }, z: 1 } }),
    ];
    for (const issue of all) expect(FIELD_ISSUE_CODES).toContain(issue.code);
    expect(all.some((i) => i.code === 'invalid')).toBe(false);
  });
});

describe('the dispatcher', () => {
  it('answers BAD_PARAMS with every issue, and the checks beyond the schema run even when the schema fails', async () => {
    const rpc = createDispatcher({
      'config.savePlan': {
        params: savePlan,
        moreIssues: () => [{ path: ['plan', 'repo'], code: 'unknown_repo', message: 'no repository "nas"', params: { repo: 'nas' } }],
        handler: () => ({ ok: true as const }),
      },
    });
    const error = (await rpc.call('config.savePlan', { plan: { ...goodPlan, paths: ['/a', 'rel'], schedule: { cron: '61 * * * *' } } }, { host: 'cli' }).catch((e: unknown) => e)) as FieldIssuesError;
    expect(error).toBeInstanceOf(FieldIssuesError);
    expect(error.code).toBe('BAD_PARAMS');
    expect(error.issues.map((i) => i.code)).toEqual(['not_absolute', 'invalid_cron', 'unknown_repo']);
    // One line for logs and the CLI names all three.
    expect(error.message).toContain('3 problems');
    expect(error.message).toContain('plan.paths[1]: a path must be absolute');
    expect(error.message).toContain('plan.repo: no repository "nas"');
  });
});
