// `backstay import --from backrest|resticprofile|backstay FILE [--dry-run] [--json]`: a preview of what will be
// imported and, item by item, what cannot be and why; without --dry-run the merged config is saved through the
// validating save path (nothing is written on any error) and plaintext passwords go to 0600 files under secrets/.
import { promises as fs } from 'node:fs';
import { BackstayError } from '../../common/errors.js';
import { dataDirPaths } from '../../core/config/data-dir.js';
import { parseConfigText, readConfigText } from '../../core/config/load.js';
import { emptyConfig } from '../../core/config/schema.js';
import { maskRepoSecrets } from '../../core/config/secret-mask.js';
import { applyImportToFile, previewImport, secretFileSink } from '../../core/import/apply-import.js';
import { parseImport } from '../../core/import/parse-import.js';
import type { ImportPreview, ImportSource } from '../../core/import/types.js';
import { readPassphrase } from './passphrase.js';

export interface ImportCommandOptions {
  from: ImportSource;
  file: string;
  dataDir: string;
  dryRun: boolean;
  json: boolean;
}

export async function runImportCommand(opts: ImportCommandOptions): Promise<number> {
  let text: string;
  try {
    text = await fs.readFile(opts.file, 'utf8');
  } catch (err) {
    throw new BackstayError('IMPORT_INVALID', `${opts.file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const draft = await parseImport({ from: opts.from, text, file: opts.file, passphrase: () => readPassphrase(process.env) });
  const { configFile } = dataDirPaths(opts.dataDir);
  const sink = secretFileSink(opts.dataDir);
  // Checked before anything is written, not even the empty config.json a first run would create; the import itself
  // checks again against the file as it is then.
  const current = await readConfigText(configFile);
  let preview = previewImport(draft, current === null ? emptyConfig() : parseConfigText(current, configFile), sink, configFile).preview;
  if (!opts.dryRun) preview = await applyImportToFile(draft, configFile, sink);
  // Secret env values and URI passwords stay off the terminal too.
  const shown: ImportPreview = { ...preview, repos: preview.repos.map((r) => maskRepoSecrets({ env: {}, ...r })) };
  if (opts.json) process.stdout.write(`${JSON.stringify(shown)}\n`);
  else process.stdout.write(describePreview(shown, opts, configFile));
  return 0;
}

function describePreview(p: ImportPreview, opts: ImportCommandOptions, configFile: string): string {
  const lines: string[] = [`Import from ${opts.from} (${opts.file}):`];
  lines.push(`Repositories (${p.repos.length}):`);
  for (const r of p.repos) lines.push(`  ${r.id}  ${r.uri}  password: ${describePassword(r.password)}`);
  lines.push(`Plans (${p.plans.length}):`);
  for (const plan of p.plans) {
    const schedule = !plan.schedule ? 'manual' : 'cron' in plan.schedule ? `cron "${plan.schedule.cron}"` : `every ${plan.schedule.everyMinutes} min`;
    const mirrors = plan.mirrors?.length ? `, mirrored to ${plan.mirrors.map((m) => m.repo).join(', ')}` : '';
    lines.push(`  ${plan.id} -> ${plan.repo}  ${plan.paths.join(', ')}  (${schedule}${mirrors})`);
  }
  if (p.renamed.length) {
    lines.push('Renamed:');
    for (const r of p.renamed) lines.push(`  ${r.kind === 'repo' ? 'repository' : 'plan'} "${r.from}" -> "${r.to}" (${r.why})`);
  }
  if (p.secrets.length) {
    lines.push('Passwords found in plain text (kept in a file only you can read, never in config.json):');
    for (const s of p.secrets) lines.push(`  ${s.repo}: found in ${s.from}`);
  }
  lines.push(p.skipped.length ? `Not imported (${p.skipped.length}):` : 'Everything could be imported.');
  for (const s of p.skipped) lines.push(`  - ${s.what}: ${s.why}`);
  lines.push(opts.dryRun ? 'Dry run: nothing was written.' : `Imported into ${configFile}.`);
  return lines.join('\n') + '\n';
}

function describePassword(password: ImportPreview['repos'][number]['password']): string {
  if ('file' in password) return `file ${password.file}`;
  if ('env' in password) return `$${password.env}`;
  if ('command' in password) return 'a command';
  return 'keychain';
}
