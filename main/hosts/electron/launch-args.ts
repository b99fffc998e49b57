// The desktop app's own command line: where the data lives and whether to start hidden (login autostart).
import path from 'node:path';

export interface LaunchArgs {
  /** From --data-dir or $BACKSTAY_DATA_DIR; null means the OS default (app.getPath('userData')). */
  dataDir: string | null;
  /** Start in the tray without opening the window. */
  hidden: boolean;
}

export function parseLaunchArgs(argv: readonly string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): LaunchArgs {
  let dataDir: string | null = null;
  let hidden = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--hidden') hidden = true;
    else if (arg === '--data-dir' && i + 1 < argv.length) dataDir = argv[++i]!;
    else if (arg.startsWith('--data-dir=')) dataDir = arg.slice('--data-dir='.length);
  }
  if (!dataDir && env.BACKSTAY_DATA_DIR) dataDir = env.BACKSTAY_DATA_DIR;
  return { dataDir: dataDir ? path.resolve(cwd, dataDir) : null, hidden };
}
