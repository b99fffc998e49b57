// Where Backstay keeps config.json, oplog.sqlite and logs/. The default is the folder Electron's
// app.getPath('userData') gives for the product name "Backstay", computed here without Electron so that
// `backstay serve`, the CLI and the desktop app all meet in the same place.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Backstay';

export interface DataDirOptions {
  /** --data-dir from the command line. */
  flag?: string | null;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
}

/** --data-dir, else $BACKSTAY_DATA_DIR, else the OS application-data folder + "Backstay". Always absolute. */
export function resolveDataDir(options: DataDirOptions): string {
  const platform = options.platform ?? process.platform;
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const chosen = nonEmpty(options.flag) ?? nonEmpty(options.env.BACKSTAY_DATA_DIR);
  if (chosen) return paths.resolve(chosen);
  return paths.join(appDataDir(platform, options.env, options.homedir ?? os.homedir()), PRODUCT_NAME);
}

/** Electron's app.getPath('appData') for each platform. */
function appDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  switch (platform) {
    case 'win32':
      return nonEmpty(env.APPDATA) ?? path.win32.join(home, 'AppData', 'Roaming');
    case 'darwin':
      return path.posix.join(home, 'Library', 'Application Support');
    default: {
      // The XDG spec ignores a relative XDG_CONFIG_HOME; so does Electron.
      const xdg = nonEmpty(env.XDG_CONFIG_HOME);
      return xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
    }
  }
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value && value.trim() !== '' ? value : undefined;
}

export interface DataDirPaths {
  dir: string;
  configFile: string;
  oplogFile: string;
  logsDir: string;
}

export function dataDirPaths(dir: string): DataDirPaths {
  return {
    dir,
    configFile: path.join(dir, 'config.json'),
    oplogFile: path.join(dir, 'oplog.sqlite'),
    logsDir: path.join(dir, 'logs'),
  };
}

/** Creates the data directory (0700: it names repositories and password sources) and its logs/ folder. */
export async function ensureDataDir(dir: string): Promise<DataDirPaths> {
  const paths = dataDirPaths(dir);
  await fs.mkdir(paths.logsDir, { recursive: true, mode: 0o700 });
  return paths;
}
