// `backstay import` and `backstay export` as a user runs them: preview, import, bad input (exit 2, one line naming
// the file and the place, nothing written), the 0600 secret files, and an export -> import round trip with secrets.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backstay, CLI_ENTRY } from '../helpers/cli.js';
import { loadConfig } from '../../main/core/config/load.js';
import { BACKREST_CONFIG, RESTICPROFILE_V1_YAML } from './samples.js';

let dir: string;
let dataDir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backstay-import-'));
  dataDir = path.join(dir, 'data');
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, text);
  return file;
}

const exists = (p: string) => fs.stat(p).then(() => true, () => false);
const mode = async (p: string) => (await fs.stat(p)).mode & 0o777;

describe('backstay import', () => {
  it('--dry-run --json previews one object and writes nothing', async () => {
    const file = await write('config.json', JSON.stringify(BACKREST_CONFIG));
    const r = await backstay(['import', '--from', 'backrest', file, '--dry-run', '--json', '--data-dir', dataDir]);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown[]>;
    expect(Object.keys(out).sort()).toEqual(['plans', 'renamed', 'repos', 'secrets', 'skipped']);
    expect(out.repos).toHaveLength(2);
    expect(out.plans).toHaveLength(3);
    expect(out.skipped).toContainEqual({ what: 'repository "nas" hook 1 (Discord)', why: expect.stringContaining('Discord') });
    expect(out.secrets).toEqual([{ repo: 'nas', from: 'repository "nas" password' }]);
    // Neither the password nor the cloud secret is printed.
    expect(r.stdout).not.toContain('correct horse');
    expect(r.stdout).not.toContain('wJalrEXAMPLEKEY');
    expect(await exists(dataDir)).toBe(false);
  });

  it('the human preview lists, item by item, what cannot be imported and why', async () => {
    const file = await write('profiles.yaml', RESTICPROFILE_V1_YAML);
    const r = await backstay(['import', '--from', 'resticprofile', file, '--dry-run', '--data-dir', dataDir]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Plans (2):');
    expect(r.stdout).toMatch(/^ {2}- profile "system" schedule "\*-\*-01 02:00 UTC": systemd calendar .*time zone/m);
    expect(r.stdout).toMatch(/^ {2}- profile "cloud" repository .*template/m);
    expect(r.stdout).toContain('Dry run: nothing was written.');
  });

  it('imports into config.json, with the plaintext password in a 0600 file under secrets/ (0700)', async () => {
    const file = await write('config.json', JSON.stringify(BACKREST_CONFIG));
    const r = await backstay(['import', '--from', 'backrest', file, '--data-dir', dataDir]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Imported into ${path.join(dataDir, 'config.json')}`);
    const config = await loadConfig(path.join(dataDir, 'config.json'));
    const secretFile = path.join(dataDir, 'secrets', 'nas.password');
    expect(config.repos[0]!.password).toEqual({ file: secretFile });
    expect(await fs.readFile(secretFile, 'utf8')).toBe('correct horse battery staple');
    expect(await mode(secretFile)).toBe(0o600);
    expect(await mode(path.dirname(secretFile))).toBe(0o700);
    expect(await fs.readFile(path.join(dataDir, 'config.json'), 'utf8')).not.toContain('correct horse');

    // Importing the same file again renames every id and says so.
    const again = await backstay(['import', '--from', 'backrest', file, '--json', '--data-dir', dataDir]);
    expect(again.exitCode, again.stderr).toBe(0);
    const out = JSON.parse(again.stdout) as { renamed: { from: string; to: string }[] };
    expect(out.renamed).toContainEqual(expect.objectContaining({ from: 'nas', to: 'nas-2' }));
    expect((await loadConfig(path.join(dataDir, 'config.json'))).plans.map((p) => p.id)).toEqual([
      'home', 'photos', 'weekly-odd', 'home-2', 'photos-2', 'weekly-odd-2',
    ]);
  });

  const badInputs = [
    {
      name: 'a truncated YAML file',
      from: 'resticprofile',
      file: 'profiles.yaml',
      text: RESTICPROFILE_V1_YAML.slice(0, RESTICPROFILE_V1_YAML.indexOf('/home/me/Documents') + 5),
      line: /profiles\.yaml: line 19, column \d+: not valid YAML/,
    },
    {
      name: 'a Backrest file of an unknown version',
      from: 'backrest',
      file: 'config.json',
      text: JSON.stringify({ ...BACKREST_CONFIG, version: 42 }),
      line: /config\.json: version: Backrest config version 42 is not one this Backstay knows/,
    },
    {
      name: 'an inherit cycle',
      from: 'resticprofile',
      file: 'profiles.toml',
      text: '[one]\ninherit = "two"\n[two]\ninherit = "one"\n',
      line: /profiles\.toml: two\.inherit: inherit cycle: one -> two -> one/,
    },
  ];
  it.each(badInputs)('$name: exit 2, one line naming the file and the place, nothing written', async ({ from, file, text, line }) => {
    const source = await write(file, text);
    await fs.mkdir(dataDir);
    const before = JSON.stringify({ version: 1, repos: [], plans: [] });
    await fs.writeFile(path.join(dataDir, 'config.json'), before);
    const r = await backstay(['import', '--from', from, source, '--data-dir', dataDir]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(source);
    expect(r.stderr).toMatch(line);
    expect(await fs.readFile(path.join(dataDir, 'config.json'), 'utf8')).toBe(before);
    expect(await fs.readdir(dataDir)).toEqual(['config.json']);
  });

  it('a source whose import would make an invalid config writes nothing, not even the secret file', async () => {
    // Every item maps, but the result breaks a Backstay rule: once a week for 400 days is beyond everyMinutes' range.
    const bad = { version: 4, repos: [{ id: 'r', uri: '/srv/r', password: 'pw' }], plans: [{ id: 'p', repo: 'r', paths: ['/x'], schedule: { maxFrequencyDays: 400 } }] };
    const source = await write('config.json', JSON.stringify(bad));
    const r = await backstay(['import', '--from', 'backrest', source, '--data-dir', dataDir]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/plans\[0\]\.schedule/);
    expect(await exists(path.join(dataDir, 'secrets', 'r.password'))).toBe(false);
    expect(await exists(dataDir)).toBe(false);
  });
});

describe('backstay export', () => {
  async function importedDataDir(): Promise<void> {
    const file = await write('backrest.json', JSON.stringify(BACKREST_CONFIG));
    const r = await backstay(['import', '--from', 'backrest', file, '--data-dir', dataDir]);
    expect(r.exitCode, r.stderr).toBe(0);
  }

  it('with no config.json there: says so, exit 2, and prints nothing to import elsewhere', async () => {
    const r = await backstay(['export', '--data-dir', path.join(dir, 'typo')]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`backstay: There is no config.json at ${path.join(dir, 'typo', 'config.json')}: nothing to export. Check --data-dir.`);
  });

  it('without secrets: no password, no secret value; importing it says what must be set again', async () => {
    await importedDataDir();
    const r = await backstay(['export', '--data-dir', dataDir]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('correct horse');
    expect(r.stdout).not.toContain('wJalrEXAMPLEKEY');
    expect(r.stdout).toContain('AKIAEXAMPLE'); // an account id is no secret
    const file = await write('export.json', r.stdout);
    const other = path.join(dir, 'other');
    const back = await backstay(['import', '--from', 'backstay', file, '--json', '--data-dir', other]);
    expect(back.exitCode, back.stderr).toBe(0);
    const out = JSON.parse(back.stdout) as { skipped: { what: string }[] };
    expect(out.skipped).toContainEqual(expect.objectContaining({ what: 'repository "cloud-b2" env AWS_SECRET_ACCESS_KEY' }));
    const config = await loadConfig(path.join(other, 'config.json'));
    expect(config.repos[1]!.env).toEqual({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' });
  });

  it('with secrets: encrypted, and `import --from backstay` on a new machine gives the same setup', async () => {
    await importedDataDir();
    const passphrase = 'a long passphrase nobody guesses';
    const r = await backstay(['export', '--with-secrets', '--data-dir', dataDir], { env: { BACKSTAY_EXPORT_PASSPHRASE: passphrase } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('correct horse');
    expect(r.stdout).not.toContain('wJalrEXAMPLEKEY');
    const file = await write('export.json', r.stdout);

    const wrong = await backstay(['import', '--from', 'backstay', file, '--data-dir', path.join(dir, 'x')], { env: { BACKSTAY_EXPORT_PASSPHRASE: 'nope' } });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toMatch(/passphrase does not open the secrets/);
    expect(await exists(path.join(dir, 'x', 'config.json'))).toBe(false);

    // The passphrase from stdin this time, as a script would pipe it.
    const other = path.join(dir, 'other');
    const back = await execa(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'import', '--from', 'backstay', file, '--data-dir', other], {
      input: `${passphrase}\n`,
      reject: false,
      env: { BACKSTAY_EXPORT_PASSPHRASE: '' },
    });
    expect(back.exitCode, back.stderr).toBe(0);
    const original = await loadConfig(path.join(dataDir, 'config.json'));
    const copy = await loadConfig(path.join(other, 'config.json'));
    const movedSecret = path.join(other, 'secrets', 'nas.password');
    expect(copy.repos).toEqual(original.repos.map((repo) => (repo.id === 'nas' ? { ...repo, password: { file: movedSecret } } : repo)));
    expect(copy.plans).toEqual(original.plans);
    expect(copy.settings).toEqual(original.settings);
    expect(await fs.readFile(movedSecret, 'utf8')).toBe('correct horse battery staple');
    expect(await mode(movedSecret)).toBe(0o600);
  });
});

describe('an imported setup runs with real restic', () => {
  it('a Backrest plan with a plaintext password backs up through the secret file, and the password is nowhere else', async () => {
    const { createWorkspace } = await import('../helpers/workspace.js');
    const ws = await createWorkspace();
    try {
      const backrest = {
        version: 4,
        repos: [{ id: 'local', uri: ws.repoPath, password: ws.password }],
        plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], schedule: { disabled: true } }],
      };
      const file = await write('backrest.json', JSON.stringify(backrest));
      const imported = await backstay(['import', '--from', 'backrest', file, '--data-dir', ws.dataDir]);
      expect(imported.exitCode, imported.stderr).toBe(0);
      const backup = await backstay(['backup', 'home', '--json', '--data-dir', ws.dataDir]);
      expect(backup.exitCode, backup.stderr).toBe(0);
      expect(backup.stdout).toMatch(/"type":"finished".*"status":"success"/);
      expect(imported.stdout + backup.stdout + backup.stderr).not.toContain(ws.password);
      expect(await fs.readFile(path.join(ws.dataDir, 'config.json'), 'utf8')).not.toContain(ws.password);
    } finally {
      await ws.cleanup();
    }
  });
});
