// The `backstay` command line (CONTRACT.md): serve, backup, ops. commander parses the arguments (help texts,
// unknown options, missing values) so that this file only says what each command does.
import { Command, CommanderError, Option } from 'commander';
import { BackstayError } from '../../common/errors.js';
import { resolveDataDir } from '../../core/config/data-dir.js';
// The commands themselves are imported when run: `--help`, `ops` and a usage error need not load the engine and the
// HTTP host, and every `backstay backup` starts sooner (start-up is part of what a scripted backup waits for).

/** Bad input exits 2 with one clear line on stderr (CONTRACT.md). */
export const EXIT_BAD_INPUT = 2;

function dataDirOf(flag: string | undefined): string {
  return resolveDataDir({ flag, env: process.env });
}

function program(): Command {
  const cli = new Command('backstay')
    .description('Backstay: supervised restic backups with live progress and an operation log.')
    .showHelpAfterError(false)
    .exitOverride();
  const dataDirOption = () => new Option('--data-dir <dir>', 'data directory (default: $BACKSTAY_DATA_DIR or the app folder)');

  cli
    .command('serve')
    .description('run the headless host: schedules, supervisor, oplog, web UI and API on 127.0.0.1')
    .addOption(dataDirOption())
    .option('--port <n>', 'port to listen on (0 or absent: a free port)', parsePort, 0)
    .action(async (o: { dataDir?: string; port: number }) => {
      const { runServeCommand } = await import('./serve-command.js');
      process.exitCode = await runServeCommand({ dataDir: dataDirOf(o.dataDir), port: o.port });
    });

  cli
    .command('backup')
    .description('run one backup of PLAN now and follow it to the end (exit 0 ok, 3 warning, 1 error, 130 cancelled)')
    .argument('<plan>', 'plan id from config.json')
    .addOption(dataDirOption())
    .option('--json', 'one JSON object per line on stdout')
    .action(async (plan: string, o: { dataDir?: string; json?: boolean }) => {
      const { runBackupCommand } = await import('./backup-command.js');
      process.exitCode = await runBackupCommand({ planId: plan, dataDir: dataDirOf(o.dataDir), json: Boolean(o.json) });
    });

  cli
    .command('ops')
    .description('list operations, newest first')
    .addOption(dataDirOption())
    .option('--plan <id>', 'only this plan')
    .option('--limit <n>', 'at most this many (default 50)', parseLimit, 50)
    .option('--json', 'print a JSON array')
    .action(async (o: { dataDir?: string; plan?: string; limit: number; json?: boolean }) => {
      const { runOpsCommand } = await import('./ops-command.js');
      process.exitCode = await runOpsCommand({ dataDir: dataDirOf(o.dataDir), planId: o.plan, limit: o.limit, json: Boolean(o.json) });
    });

  cli
    .command('import')
    .description('import repositories and plans from Backrest, resticprofile or a Backstay export (exit 0 done, 2 bad input)')
    .argument('<file>', 'Backrest config.json, resticprofile profiles.(yaml|toml|json), or a `backstay export` file')
    .addOption(new Option('--from <tool>', 'where FILE comes from').choices(['backrest', 'resticprofile', 'backstay']).makeOptionMandatory())
    .addOption(dataDirOption())
    .option('--dry-run', 'show what would be imported and what cannot be; write nothing')
    .option('--json', 'print one JSON object {repos, plans, skipped, renamed, secrets}')
    .action(async (file: string, o: { from: 'backrest' | 'resticprofile' | 'backstay'; dataDir?: string; dryRun?: boolean; json?: boolean }) => {
      const { runImportCommand } = await import('./import-command.js');
      process.exitCode = await runImportCommand({ from: o.from, file, dataDir: dataDirOf(o.dataDir), dryRun: Boolean(o.dryRun), json: Boolean(o.json) });
    });

  cli
    .command('export')
    .description('print the config without secrets; --with-secrets adds them encrypted (passphrase from $BACKSTAY_EXPORT_PASSPHRASE or stdin)')
    .addOption(dataDirOption())
    .option('--with-secrets', 'include passwords and secret values, encrypted with a passphrase')
    .action(async (o: { dataDir?: string; withSecrets?: boolean }) => {
      const { runExportCommand } = await import('./export-command.js');
      process.exitCode = await runExportCommand({ dataDir: dataDirOf(o.dataDir), withSecrets: Boolean(o.withSecrets) });
    });

  cli
    .command('history')
    .description('every version of PATH across the snapshots of a repository, newest first')
    .argument('<path>', 'absolute path as backed up')
    .requiredOption('--repo <id>', 'repository id from config.json')
    .addOption(dataDirOption())
    .option('--plan <id>', 'only snapshots of this plan')
    .option('--host <name>', 'only snapshots of this host')
    .option('--json', 'print the answer as JSON')
    .action(async (p: string, o: { repo: string; dataDir?: string; plan?: string; host?: string; json?: boolean }) => {
      const { runHistoryCommand } = await import('./history-command.js');
      process.exitCode = await runHistoryCommand({ path: p, repoId: o.repo, dataDir: dataDirOf(o.dataDir), planId: o.plan, host: o.host, json: Boolean(o.json) });
    });

  cli
    .command('find')
    .description('paths matching a name fragment or a glob (*, ?, [..]; with / the whole path) in any snapshot')
    .argument('<pattern>', 'e.g. report, "*.jpg", "docs/**/*.txt"')
    .requiredOption('--repo <id>', 'repository id from config.json')
    .addOption(dataDirOption())
    .option('--plan <id>', 'only snapshots of this plan')
    .option('--since <time>', 'only versions in snapshots from this ISO time on')
    .option('--until <time>', 'only versions in snapshots up to this ISO time')
    .option('--limit <n>', 'at most this many paths (default 200)', parseLimit)
    .option('--json', 'print the answer as JSON')
    .action(async (pattern: string, o: { repo: string; dataDir?: string; plan?: string; since?: string; until?: string; limit?: number; json?: boolean }) => {
      const { runFindCommand } = await import('./find-command.js');
      process.exitCode = await runFindCommand({
        pattern,
        repoId: o.repo,
        dataDir: dataDirOf(o.dataDir),
        planId: o.plan,
        since: o.since,
        until: o.until,
        limit: o.limit,
        json: Boolean(o.json),
      });
    });
  return cli;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new BackstayError('BAD_PARAMS', `--port must be 0-65535 (got "${value}").`);
  return n;
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100000) throw new BackstayError('BAD_PARAMS', `--limit must be a whole number from 1 (got "${value}").`);
  return n;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors are bad input. commander has printed its message already.
      process.exitCode = err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
      return;
    }
    if (err instanceof BackstayError) {
      process.stderr.write(`backstay: ${err.message}\n`);
      process.exitCode = EXIT_BAD_INPUT;
      return;
    }
    process.stderr.write(`backstay: unexpected error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

/**
 * After a command is done, best-effort work the engine started may still hold the event loop: a `restic unlock` after
 * a cancel that had to kill restic waits up to a minute on a frozen backend. It gets this long, then the process exits
 * with the command's own exit code (execa's cleanup ends that child), so `backstay backup` ends in bounded time.
 */
const EXIT_DRAIN_MS = 2000;

await main(process.argv.slice(2));
setTimeout(() => process.exit(), EXIT_DRAIN_MS).unref();
