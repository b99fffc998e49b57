// `backstay export [--with-secrets]`: the config on stdout, secrets masked; with --with-secrets they travel too,
// encrypted with a passphrase from $BACKSTAY_EXPORT_PASSPHRASE or stdin. `backstay import --from backstay` reads it.
import { promises as fs } from 'node:fs';
import { dataDirPaths } from '../../core/config/data-dir.js';
import { parseConfigText, readConfigText } from '../../core/config/load.js';
import type { RepoConfig } from '../../core/config/schema.js';
import { BackstayError } from '../../common/errors.js';
import { buildExport } from '../../core/import/export-file.js';
import { readPassphrase } from './passphrase.js';

export async function runExportCommand(opts: { dataDir: string; withSecrets: boolean }): Promise<number> {
  const { configFile } = dataDirPaths(opts.dataDir);
  const text = await readConfigText(configFile);
  // Nothing to export is said so: an empty setup printed as if it were this machine's would be restored elsewhere as
  // "nothing", and a typo in --data-dir would look like a successful export.
  if (text === null) throw new BackstayError('NOT_FOUND', `There is no config.json at ${configFile}: nothing to export. Check --data-dir.`);
  const config = parseConfigText(text, configFile);
  const passphrase = opts.withSecrets ? await readPassphrase(process.env) : undefined;
  const out = await buildExport(config, { ...(passphrase !== undefined ? { passphrase } : {}), readPassword });
  process.stdout.write(out);
  return 0;
}

/** The password text where this process can read it (the keychain belongs to the desktop app); else says so. */
async function readPassword(repo: RepoConfig): Promise<string | null> {
  let password: string | null = null;
  if ('file' in repo.password) {
    password = await fs.readFile(repo.password.file, 'utf8').then((t) => t.replace(/\r?\n$/, ''), () => null);
  } else if ('env' in repo.password) {
    password = process.env[repo.password.env] ?? null;
  }
  if (password === null) process.stderr.write(`backstay: the password of repository "${repo.id}" cannot be read here, so the export does not carry it\n`);
  return password;
}
