import { describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/errors.js';
import { DEFAULT_SETTINGS, emptyConfig } from './schema.js';
import { validateConfig } from './validate.js';
import { parseConfigText } from './load.js';

const FILE = '/home/me/.config/Backstay/config.json';

// CONTRACT.md's example, verbatim.
const CONTRACT_EXAMPLE = `{
  "version": 1,
  "repos": [{
    "id": "nas",
    "uri": "rest:http://127.0.0.1:8000/",
    "password": { "file": "/home/me/.restic-pass" },
    "env": { "AWS_ACCESS_KEY_ID": "..." },
    "flags": []
  }],
  "plans": [{
    "id": "home",
    "repo": "nas",
    "paths": ["/home/me"],
    "excludes": ["**/node_modules"],
    "schedule": { "cron": "0 * * * *" },
    "retention": { "keepLast": 10, "keepDaily": 7, "keepWeekly": 4, "keepMonthly": 12 }
  }],
  "settings": {
    "resticBinary": null,
    "stallAfterSeconds": 300,
    "cancelGraceSeconds": 15,
    "uiUpdateHz": 4
  }
}`;

const repo = { id: 'nas', uri: '/srv/restic', password: { file: '/p' } };
const plan = { id: 'home', repo: 'nas', paths: ['/home/me'] };

/** The CONFIG_INVALID message for `input`; fails the test if it validates. */
function problemsOf(input: unknown): string {
  try {
    validateConfig(input, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(BackstayError);
    expect((err as BackstayError).code).toBe('CONFIG_INVALID');
    return (err as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('config schema: valid files', () => {
  it('accepts the CONTRACT.md example verbatim', () => {
    const config = parseConfigText(CONTRACT_EXAMPLE, FILE);
    expect(config.repos[0]).toMatchObject({ id: 'nas', password: { file: '/home/me/.restic-pass' } });
    expect(config.plans[0]!.schedule).toEqual({ cron: '0 * * * *' });
    expect(config.plans[0]!.retention).toEqual({ keepLast: 10, keepDaily: 7, keepWeekly: 4, keepMonthly: 12 });
    expect(config.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('fills the defaults of every optional field, including a missing settings object', () => {
    const config = validateConfig({ version: 1, repos: [repo], plans: [plan] }, FILE);
    expect(config.repos[0]).toEqual({ ...repo, env: {}, flags: [] });
    expect(config.plans[0]).toEqual({ ...plan, excludes: [], schedule: null, retention: null });
    expect(config.settings).toMatchObject({ resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4 });
    expect(config.settings).toMatchObject({
      notifyOnSuccess: false,
      noSuccessWarnDays: 7,
      retryStalled: true,
      stalledCancelAfterSeconds: 900,
      retryAttempts: 3,
      retryBackoffSeconds: 60,
      maxParallelOperations: 2,
      keepAwake: true,
      language: 'auto',
      startAtLogin: false,
      hooks: [],
    });
    expect(emptyConfig()).toEqual({ version: 1, repos: [], plans: [], settings: DEFAULT_SETTINGS });
  });

  it('accepts every password source, schedule kind, retention key and the additions', () => {
    const config = validateConfig(
      {
        version: 1,
        repos: [
          { id: 'a', uri: 'x', password: { file: '/p' } },
          {
            id: 'b-2',
            uri: 'x',
            password: { env: 'MY_PASS' },
            maintenance: { prune: { cron: '0 3 * * 0' }, check: { everyMinutes: 43200 }, checkReadDataSubset: '1/10' },
          },
          { id: 'c_3', uri: 'x', password: { command: 'pass show restic' }, maintenance: { checkReadDataSubset: '2.5%' } },
          { id: '0', uri: 'x', password: { keychain: true } },
        ],
        plans: [
          {
            id: 'p',
            repo: 'a',
            paths: ['/x'],
            schedule: { everyMinutes: 60 },
            retention: { keepLast: 1, keepHourly: 2, keepDaily: 3, keepWeekly: 4, keepMonthly: 5, keepYearly: 6, keepWithin: '1y2m3d4h' },
            hooks: [{ on: ['start'], url: 'https://hc-ping.com/abc/start' }, { on: ['error', 'stall'], command: 'notify-send x', timeoutMs: 5000 }],
          },
          { id: 'q', repo: 'b-2', paths: ['/y'], schedule: { cron: '*/15 9-17 * * mon-fri' }, retention: { keepWithin: '30d' } },
        ],
        settings: { language: 'zh-CN', hooks: [{ on: ['success'], command: 'true' }], noSuccessWarnDays: null },
      },
      FILE,
    );
    expect(config.repos[1]!.maintenance).toEqual({ prune: { cron: '0 3 * * 0' }, check: { everyMinutes: 43200 }, checkReadDataSubset: '1/10' });
    expect(config.repos[2]!.maintenance).toEqual({ prune: null, check: null, checkReadDataSubset: '2.5%' });
    expect(config.plans[0]!.hooks).toHaveLength(2);
  });

  it('accepts a 64-character id and rejects a 65-character one', () => {
    const id64 = 'a'.repeat(64);
    expect(validateConfig({ version: 1, repos: [{ ...repo, id: id64 }] }, FILE).repos[0]!.id).toBe(id64);
    expect(problemsOf({ version: 1, repos: [{ ...repo, id: id64 + 'a' }] })).toContain(`${FILE}: repos[0].id: a repository id must be`);
  });
});

describe('config schema: every kind of rejection names the file and the JSON path', () => {
  const cases: [string, unknown, string][] = [
    ['plan referring to a missing repo', { version: 1, repos: [repo], plans: [{ ...plan, repo: 'nsa' }] }, 'plans[0].repo: no repository "nsa" (known: nas)'],
    ['unknown top-level key', { version: 1, repo: [] }, 'repo: unknown key'],
    ['unknown repo key', { version: 1, repos: [{ ...repo, passwd: 'x' }] }, 'repos[0].passwd: unknown key'],
    ['unknown settings key (typo)', { version: 1, settings: { stallAfterSecond: 5 } }, 'settings.stallAfterSecond: unknown key'],
    ['unknown retention key', { version: 1, repos: [repo], plans: [{ ...plan, retention: { keepDayly: 3 } }] }, 'plans[0].retention.keepDayly: unknown key'],
    ['wrong type', { version: 1, settings: { stallAfterSeconds: '300' } }, 'settings.stallAfterSeconds: expected number, got a string'],
    ['missing version', { repos: [] }, 'version: version must be 1'],
    ['newer version', { version: 2 }, 'version: version 2 was written by a newer Backstay'],
    ['not an object', [], '(top level): expected object, got an array'],
    ['missing uri', { version: 1, repos: [{ id: 'nas', password: { file: '/p' } }] }, 'repos[0].uri: is required'],
    ['missing password', { version: 1, repos: [{ id: 'nas', uri: 'x' }] }, 'repos[0].password: must be exactly one of'],
    ['two password sources', { version: 1, repos: [{ ...repo, password: { file: '/p', env: 'X' } }] }, 'repos[0].password: must be exactly one of {"file": PATH}, {"env": VAR}, {"command": "..."} or {"keychain": true}; got an object with "file", "env"'],
    ['keychain false', { version: 1, repos: [{ ...repo, password: { keychain: false } }] }, 'repos[0].password: must be exactly one of'],
    ['bad id', { version: 1, repos: [{ ...repo, id: 'NAS' }] }, 'repos[0].id: a repository id must be'],
    ['id starting with -', { version: 1, repos: [repo], plans: [{ ...plan, id: '-x' }] }, 'plans[0].id: a plan id must be'],
    ['duplicate repo id', { version: 1, repos: [repo, repo] }, 'repos[1].id: duplicate repository id "nas"'],
    ['duplicate plan id', { version: 1, repos: [repo], plans: [plan, plan] }, 'plans[1].id: duplicate plan id "home"'],
    ['empty paths', { version: 1, repos: [repo], plans: [{ ...plan, paths: [] }] }, 'plans[0].paths: paths must list at least one'],
    ['empty path', { version: 1, repos: [repo], plans: [{ ...plan, paths: [''] }] }, 'plans[0].paths[0]: a path must not be empty'],
    ['relative path', { version: 1, repos: [repo], plans: [{ ...plan, paths: ['docs'] }] }, 'plans[0].paths[0]: a path must be absolute'],
    ['tilde path', { version: 1, repos: [repo], plans: [{ ...plan, paths: ['~/docs'] }] }, 'plans[0].paths[0]: write the home folder out in full'],
    ['6-field cron', { version: 1, repos: [repo], plans: [{ ...plan, schedule: { cron: '0 0 * * * *' } }] }, 'plans[0].schedule.cron: cron must have 5 fields'],
    ['cron nickname', { version: 1, repos: [repo], plans: [{ ...plan, schedule: { cron: '@daily' } }] }, 'plans[0].schedule.cron: cron must have 5 fields'],
    ['cron out of range', { version: 1, repos: [repo], plans: [{ ...plan, schedule: { cron: '61 * * * *' } }] }, 'plans[0].schedule.cron: invalid cron "61 * * * *"'],
    ['cron that never fires', { version: 1, repos: [repo], plans: [{ ...plan, schedule: { cron: '0 0 31 2 *' } }] }, 'plans[0].schedule.cron: cron "0 0 31 2 *" never matches'],
    ['everyMinutes 0', { version: 1, repos: [repo], plans: [{ ...plan, schedule: { everyMinutes: 0 } }] }, 'plans[0].schedule.everyMinutes: must be a whole number from 1 to 527040 minutes (1 minute to 366 days)'],
    ['everyMinutes fraction', { version: 1, repos: [repo], plans: [{ ...plan, schedule: { everyMinutes: 1.5 } }] }, 'plans[0].schedule.everyMinutes: must be a whole number from 1 to 527040 minutes'],
    ['schedule both kinds', { version: 1, repos: [repo], plans: [{ ...plan, schedule: { cron: '0 * * * *', everyMinutes: 5 } }] }, 'plans[0].schedule: must be {"cron"'],
    ['schedule unknown kind', { version: 1, repos: [repo], plans: [{ ...plan, schedule: { hourly: true } }] }, 'plans[0].schedule: must be {"cron"'],
    ['empty retention', { version: 1, repos: [repo], plans: [{ ...plan, retention: {} }] }, 'plans[0].retention: retention needs at least one keep rule'],
    ['keepLast 0', { version: 1, repos: [repo], plans: [{ ...plan, retention: { keepLast: 0 } }] }, 'plans[0].retention.keepLast: must be at least 1'],
    ['keepWithin in words', { version: 1, repos: [repo], plans: [{ ...plan, retention: { keepWithin: '30 days' } }] }, 'plans[0].retention.keepWithin: keepWithin must be a restic duration'],
    ['env value not a string', { version: 1, repos: [{ ...repo, env: { A: 1 } }] }, 'repos[0].env.A: expected string, got a number'],
    ['flags not an array', { version: 1, repos: [{ ...repo, flags: '--limit-upload 100' }] }, 'repos[0].flags: expected array, got a string'],
    ['hook with command and url', { version: 1, settings: { hooks: [{ on: ['start'], command: 'x', url: 'http://a/' }] } }, 'settings.hooks[0]: a hook needs exactly one of "command" or "url"'],
    ['hook unknown event', { version: 1, settings: { hooks: [{ on: ['finish'], command: 'x' }] } }, 'settings.hooks[0].on[0]: '],
    ['hook ftp url', { version: 1, settings: { hooks: [{ on: ['start'], url: 'ftp://x/' }] } }, 'settings.hooks[0].url: url must be an http:// or https:// URL'],
    ['bad read-data subset', { version: 1, repos: [{ ...repo, maintenance: { checkReadDataSubset: '11/10' } }] }, 'repos[0].maintenance.checkReadDataSubset: checkReadDataSubset must be like'],
    ['unknown maintenance key', { version: 1, repos: [{ ...repo, maintenance: { forget: null } }] }, 'repos[0].maintenance.forget: unknown key'],
    ['bad language', { version: 1, settings: { language: 'fr' } }, 'settings.language: '],
    ['uiUpdateHz too high', { version: 1, settings: { uiUpdateHz: 1000 } }, 'settings.uiUpdateHz: uiUpdateHz must be at most 60'],
    ['negative stall', { version: 1, settings: { stallAfterSeconds: -1 } }, 'settings.stallAfterSeconds: must be from 1 to 2592000 seconds (1 second to 30 days)'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    const message = problemsOf(input);
    expect(message).toContain(`${FILE}: ${expected}`);
    // Every line names the file.
    for (const line of message.split('\n')) expect(line.startsWith(`${FILE}: `)).toBe(true);
  });

  it('reports reference problems together with field problems, one line each, at most a few', () => {
    const message = problemsOf({
      version: 1,
      repos: [{ ...repo, foo: 1 }],
      plans: [{ ...plan, repo: 'nsa', paths: [] }],
    });
    expect(message.split('\n')).toEqual([
      `${FILE}: repos[0].foo: unknown key`,
      `${FILE}: plans[0].paths: paths must list at least one folder or file`,
      `${FILE}: plans[0].repo: no repository "nsa" (known: nas)`,
    ]);
    const many = problemsOf({ version: 1, repos: Array.from({ length: 9 }, (_, i) => ({ ...repo, id: `r${i}`, x: 1 })) });
    const lines = many.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe(`${FILE}: ... and 4 more problems`);
  });

  it('never quotes a value in the message (a password typed into the wrong place stays secret)', () => {
    const message = problemsOf({ version: 1, repos: [{ ...repo, password: 'hunter2-secret' }, { ...repo, id: 'b', uri: 42, flags: 'hunter3-secret' }] });
    expect(message).toContain('repos[0].password: must be exactly one of');
    expect(message).not.toMatch(/hunter/);
  });
});

describe('parseConfigText: JSON syntax errors', () => {
  const cases: [string, string][] = [
    ['{\n  "version": 1,\n}', 'line 3, column 1: expected another key (no comma before "}"), found "}"'],
    ['{\n  "version": 1\n  "repos": []\n}', 'line 3, column 3: expected "," or "}", found "\\""'],
    ['{"version": 1, "repos": [', 'line 1, column 26: expected a value, found the end of the file'],
    ["{'version': 1}", `line 1, column 2: expected a key in double quotes, found "'"`],
  ];
  it.each(cases)('%j', (text, expected) => {
    expect(() => parseConfigText(text, FILE)).toThrow(`${FILE}: not valid JSON at ${expected}`);
  });

  it('does not quote the text around the mistake', () => {
    const text = '{"version": 1, "repos": [{"id": "a", "uri": "x", "password": hunter2}]}';
    let message = '';
    try {
      parseConfigText(text, FILE);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^.*: not valid JSON at line 1, column 62: expected a value, found a bare word or number$/);
    expect(message).not.toContain('hunter');
  });

  it('rejects an empty file and accepts a byte order mark', () => {
    expect(() => parseConfigText('  \n', FILE)).toThrow(`${FILE}: the file is empty`);
    expect(parseConfigText('\ufeff{"version": 1}', FILE).version).toBe(1);
  });
});
