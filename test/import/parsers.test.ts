// The importers against hand-written samples of each format: what maps, what is listed as skipped (and why), that the
// result is a valid Backstay config that round-trips, that no plaintext password ends up in it, and bad input.
import { describe, expect, it } from 'vitest';
import { BackstayError } from '../../main/common/errors.js';
import { emptyConfig } from '../../main/core/config/schema.js';
import { parseConfigText, serializeConfig } from '../../main/core/config/load.js';
import { validateConfig } from '../../main/core/config/validate.js';
import { previewImport, secretFileSink } from '../../main/core/import/apply-import.js';
import { parseImport } from '../../main/core/import/parse-import.js';
import type { ImportSource } from '../../main/core/import/types.js';
import { BACKREST_CONFIG, RESTICPROFILE_V1_JSON, RESTICPROFILE_V1_YAML, RESTICPROFILE_V2_TOML } from './samples.js';

const HOME = '/home/me';
const DATA_DIR = '/data/backstay';

async function importText(from: ImportSource, text: string, file: string) {
  const draft = await parseImport({ from, text, file, home: HOME });
  const merged = previewImport(draft, emptyConfig(), secretFileSink(DATA_DIR), `${DATA_DIR}/config.json`);
  const valid = validateConfig(merged.config, 'config.json');
  // Round trip: what would be written reads back as the same config.
  expect(parseConfigText(serializeConfig(valid), 'config.json')).toEqual(valid);
  return { ...merged, valid, draft };
}

const skippedText = (skipped: { what: string; why: string }[]) => skipped.map((s) => `${s.what}: ${s.why}`).join('\n');

describe('Backrest config.json', () => {
  it('maps repositories, plans, schedules, retention and hooks, and lists what it cannot', async () => {
    const { valid, preview } = await importText('backrest', JSON.stringify(BACKREST_CONFIG), '/etc/backrest/config.json');
    expect(valid.repos.map((r) => r.id)).toEqual(['nas', 'cloud-b2']);
    const nas = valid.repos[0]!;
    expect(nas).toMatchObject({
      uri: 'rest:http://127.0.0.1:8000/laptop',
      password: { file: `${DATA_DIR}/secrets/nas.password` },
      env: { RESTIC_COMPRESSION: 'max' },
      flags: ['--option=rest.connections=4'],
      maintenance: { prune: { everyMinutes: 7 * 24 * 60 }, check: { cron: '0 3 * * 0' }, checkReadDataSubset: '5%' },
    });
    expect(valid.repos[1]).toMatchObject({
      password: { file: '/etc/restic/cloud.pass' },
      env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrEXAMPLEKEY' },
    });
    const [home, photos, odd] = valid.plans;
    expect(home).toMatchObject({
      repo: 'nas',
      paths: ['/home/me/Documents', '/home/me/Pictures'],
      excludes: ['**/node_modules', '*.tmp'],
      schedule: { cron: '0 * * * *' },
      retention: { keepHourly: 24, keepDaily: 7, keepWeekly: 4, keepMonthly: 12, keepYearly: 3 },
      hooks: [
        { on: ['start'], command: 'notify-send "backup started"' },
        { on: ['success', 'warning', 'error'], url: 'https://hooks.example/backup' },
      ],
    });
    expect(photos).toMatchObject({ repo: 'cloud-b2', schedule: { everyMinutes: 360 }, retention: { keepLast: 30 } });
    expect(odd).toMatchObject({ schedule: null, retention: null });

    expect(preview.renamed).toEqual([{ kind: 'repo', from: 'Cloud B2', to: 'cloud-b2', why: expect.stringContaining('a-z') }]);
    expect(preview.secrets).toEqual([{ repo: 'nas', from: 'repository "nas" password' }]);
    const skipped = skippedText(preview.skipped);
    expect(skipped).toMatch(/repository "nas" hook 1 \(Discord\): Backstay cannot send Discord/);
    expect(skipped).toMatch(/plan "home" hook 3 \(Slack\)/);
    expect(skipped).toMatch(/plan "weekly-odd" schedule "0 0 \* \* \* \*": not a cron expression/);
    expect(skipped).toMatch(/plan "home" iexcludes/);
    expect(skipped).toMatch(/plan "home" backup flags \(--exclude-caches\)/);
    expect(skipped).toMatch(/prune max unused/);
    expect(skipped).toMatch(/autoUnlock/);
    expect(skipped).toMatch(/^auth/m);
  });

  it('never puts the plaintext password into the config or the preview', async () => {
    const { valid, preview, secretWrites } = await importText('backrest', JSON.stringify(BACKREST_CONFIG), 'config.json');
    expect(JSON.stringify(valid)).not.toContain('correct horse');
    expect(JSON.stringify(preview)).not.toContain('correct horse');
    expect(secretWrites).toEqual([{ repoId: 'nas', value: 'correct horse battery staple' }]);
  });

  it('renames ids that clash with ones already there, and plans follow their repository', async () => {
    const draft = await parseImport({ from: 'backrest', text: JSON.stringify(BACKREST_CONFIG), file: 'config.json', home: HOME });
    const existing = validateConfig(
      { version: 1, repos: [{ id: 'nas', uri: '/srv/other', password: { env: 'X' } }], plans: [{ id: 'home', repo: 'nas', paths: ['/x'] }] },
      'config.json',
    );
    const { config, preview, secretWrites } = previewImport(draft, existing, secretFileSink(DATA_DIR), 'config.json');
    const valid = validateConfig(config, 'config.json');
    expect(valid.repos.map((r) => r.id)).toEqual(['nas', 'nas-2', 'cloud-b2']);
    expect(valid.plans.map((p) => [p.id, p.repo])).toEqual([['home', 'nas'], ['home-2', 'nas-2'], ['photos', 'cloud-b2'], ['weekly-odd', 'nas-2']]);
    expect(preview.renamed).toContainEqual({ kind: 'repo', from: 'nas', to: 'nas-2', why: 'a repository named "nas" already exists' });
    expect(preview.renamed).toContainEqual({ kind: 'plan', from: 'home', to: 'home-2', why: 'a plan named "home" already exists' });
    expect(preview.secrets).toEqual([{ repo: 'nas-2', from: 'repository "nas" password' }]);
    expect(secretWrites[0]!.repoId).toBe('nas-2');
    expect(valid.repos[1]!.password).toEqual({ file: `${DATA_DIR}/secrets/nas-2.password` });
  });
});

describe('resticprofile profiles', () => {
  it('YAML version 1: inherit, sources, schedules to cron, retention, copy as a mirror, templates skipped', async () => {
    const { valid, preview } = await importText('resticprofile', RESTICPROFILE_V1_YAML, '/home/me/.config/resticprofile/profiles.yaml');
    expect(valid.repos.map((r) => [r.id, r.uri])).toEqual([
      ['default', 'local:/backup/restic'],
      ['documents-copy', 'sftp:backup@offsite.example:/restic'],
    ]);
    expect(valid.repos[0]).toMatchObject({ password: { file: '/home/me/.config/resticprofile/key.txt' }, env: { RESTIC_COMPRESSION: 'auto' } });
    expect(valid.repos[0]!.maintenance).toMatchObject({ prune: { cron: '0 4 * * 0' } });
    const [documents, system] = valid.plans;
    expect(documents).toMatchObject({
      id: 'documents',
      repo: 'default',
      paths: ['/home/me/Documents', '/home/me/Notes'],
      excludes: ['*.bak'],
      schedule: { cron: '30 8 * * 1-5' },
      retention: { keepLast: 3, keepDaily: 7, keepWithin: '30d' },
      mirrors: [{ repo: 'documents-copy', schedule: { cron: '0 0 * * *' } }],
    });
    expect(system).toMatchObject({ id: 'system', paths: ['/etc'], schedule: null });
    expect(valid.plans).toHaveLength(2);
    const skipped = skippedText(preview.skipped);
    expect(skipped).toMatch(/profile "documents" schedule "Sat 10:00:30": .*seconds/);
    expect(skipped).toMatch(/profile "system" schedule "\*-\*-01 02:00 UTC": .*time zone/);
    expect(skipped).toMatch(/profile "cloud" repository .*template/);
    expect(skipped).toMatch(/profile "cloud": it has a backup section but no repository/);
    expect(skipped).toMatch(/profile "documents" backup iexclude/);
    expect(skipped).toMatch(/profile "system" backup tag/);
    expect(preview.secrets).toEqual([]);
  });

  it('TOML version 2: password command kept, inline RESTIC_PASSWORD moved to the secret store', async () => {
    const { valid, preview, secretWrites } = await importText('resticprofile', RESTICPROFILE_V2_TOML, '/etc/resticprofile/profiles.toml');
    expect(valid.repos.map((r) => r.id)).toEqual(['base', 'secret']);
    expect(valid.repos[0]).toMatchObject({ password: { command: 'pass show restic' }, env: { RCLONE_BWLIMIT: '1M' } });
    expect(valid.repos[1]).toMatchObject({ uri: '/mnt/usb/restic', password: { file: `${DATA_DIR}/secrets/secret.password` }, env: {} });
    expect(valid.plans.map((p) => [p.id, p.repo, p.schedule])).toEqual([
      ['work', 'base', { cron: '0-59/15 * * * *' }],
      ['secret', 'secret', { cron: '0 * * * *' }],
    ]);
    expect(valid.plans[0]!.retention).toEqual({ keepHourly: 24, keepWeekly: 8 });
    expect(preview.secrets).toEqual([{ repo: 'secret', from: 'profile "secret" env RESTIC_PASSWORD' }]);
    expect(secretWrites).toEqual([{ repoId: 'secret', value: 'hunter2-inline' }]);
    expect(JSON.stringify(valid)).not.toContain('hunter2');
  });

  it('JSON version 1', async () => {
    const { valid } = await importText('resticprofile', RESTICPROFILE_V1_JSON, '/etc/resticprofile/profiles.json');
    expect(valid.repos).toHaveLength(1);
    expect(valid.plans[0]).toMatchObject({ id: 'default', paths: ['/home/me'], schedule: { cron: '0 0 * * 1' }, retention: { keepMonthly: 6 } });
  });
});

describe('bad input names the file and the place', () => {
  const cases: { name: string; from: ImportSource; file: string; text: string; message: RegExp }[] = [
    {
      name: 'a truncated YAML file',
      from: 'resticprofile',
      file: '/p/profiles.yaml',
      text: RESTICPROFILE_V1_YAML.slice(0, RESTICPROFILE_V1_YAML.indexOf('/home/me/Documents') + 5),
      message: /^\/p\/profiles\.yaml: line 19, column \d+: not valid YAML \(Missing closing "quote\)$/,
    },
    {
      name: 'a truncated TOML file',
      from: 'resticprofile',
      file: '/p/profiles.toml',
      text: RESTICPROFILE_V2_TOML.slice(0, RESTICPROFILE_V2_TOML.indexOf('[profiles.work.backup]') + 10),
      message: /^\/p\/profiles\.toml: line 16, column \d+: not valid TOML/,
    },
    {
      name: 'a truncated Backrest file',
      from: 'backrest',
      file: '/b/config.json',
      text: JSON.stringify(BACKREST_CONFIG).slice(0, 200),
      message: /^\/b\/config\.json: not valid JSON/,
    },
    {
      name: 'a Backrest file of an unknown version',
      from: 'backrest',
      file: '/b/config.json',
      text: JSON.stringify({ ...BACKREST_CONFIG, version: 99 }),
      message: /^\/b\/config\.json: version: Backrest config version 99 is not one this Backstay knows/,
    },
    {
      name: 'a Backrest file without a version',
      from: 'backrest',
      file: '/b/config.json',
      text: JSON.stringify({ repos: [] }),
      message: /^\/b\/config\.json: version: missing/,
    },
    {
      name: 'an inherit cycle',
      from: 'resticprofile',
      file: '/p/profiles.yaml',
      text: 'a:\n  inherit: b\nb:\n  inherit: c\nc:\n  inherit: a\n',
      message: /^\/p\/profiles\.yaml: c\.inherit: inherit cycle: a -> b -> c -> a$/,
    },
    {
      name: 'an inherit cycle in a version 2 file',
      from: 'resticprofile',
      file: '/p/profiles.toml',
      text: 'version = "2"\n[profiles.x]\ninherit = "x"\n',
      message: /^\/p\/profiles\.toml: profiles\.x\.inherit: inherit cycle: x -> x$/,
    },
    {
      name: 'an unknown parent',
      from: 'resticprofile',
      file: '/p/profiles.yaml',
      text: 'a:\n  inherit: nobody\n',
      message: /^\/p\/profiles\.yaml: a\.inherit: inherits from "nobody"/,
    },
    {
      name: 'an unknown resticprofile version',
      from: 'resticprofile',
      file: '/p/profiles.yaml',
      text: 'version: "3"\nprofiles: {}\n',
      message: /^\/p\/profiles\.yaml: version: resticprofile configuration version "3"/,
    },
    {
      name: 'a wrong type',
      from: 'backrest',
      file: '/b/config.json',
      text: JSON.stringify({ version: 4, repos: [{ id: 'x', uri: 'y', flags: 5 }] }),
      message: /^\/b\/config\.json: repos\[0\]\.flags: expected a list of texts$/,
    },
  ];
  it.each(cases)('$name', async ({ from, file, text, message }) => {
    const error = await parseImport({ from, text, file, home: HOME }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackstayError);
    expect((error as BackstayError).code).toBe('IMPORT_INVALID');
    expect((error as BackstayError).message).toMatch(message);
    expect((error as BackstayError).message.split('\n')).toHaveLength(1);
  });
});
