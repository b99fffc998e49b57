// Start at login on Linux: an XDG autostart entry (~/.config/autostart/backstay.desktop). macOS and Windows use
// app.setLoginItemSettings instead (electron-app.ts).
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface AutostartTarget {
  /** The user's home; the entry goes to $XDG_CONFIG_HOME/autostart, else <home>/.config/autostart. */
  home: string;
  xdgConfigHome?: string | undefined;
}

export interface LaunchCommand {
  /** The program to run: the AppImage file when running from one (its mount path changes every launch). */
  exec: string;
  args: string[];
}

export const AUTOSTART_FILE = 'backstay.desktop';

export function autostartPath(target: AutostartTarget): string {
  const configHome = target.xdgConfigHome && path.isAbsolute(target.xdgConfigHome) ? target.xdgConfigHome : path.join(target.home, '.config');
  return path.join(configHome, 'autostart', AUTOSTART_FILE);
}

/**
 * What the desktop should run at login. Packaged: the executable (or $APPIMAGE). From source: electron plus the
 * app folder. `--hidden` starts in the tray without opening the window.
 */
export function launchCommand(opts: { execPath: string; appImage?: string | undefined; isPackaged: boolean; appPath: string }): LaunchCommand {
  if (opts.appImage) return { exec: opts.appImage, args: ['--hidden'] };
  if (opts.isPackaged) return { exec: opts.execPath, args: ['--hidden'] };
  return { exec: opts.execPath, args: [opts.appPath, '--hidden'] };
}

// Desktop Entry spec, "The Exec key": an argument with reserved characters is double-quoted, and inside the
// quotes ", `, $ and \ are escaped with a backslash; then the whole value is a string whose own escape rules
// double every backslash. A literal % is written %%.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;
function quoteExecArg(arg: string): string {
  const percent = arg.replace(/%/g, '%%');
  if (percent !== '' && !RESERVED.test(percent)) return percent;
  const quoted = `"${percent.replace(/(["`$\\])/g, '\\$1')}"`;
  return quoted.replace(/\\/g, '\\\\');
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

export function desktopEntry(command: LaunchCommand, comment = 'Supervised restic backups'): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Backstay',
    `Comment=${oneLine(comment)}`,
    `Exec=${[command.exec, ...command.args].map(quoteExecArg).join(' ')}`,
    'Icon=backstay',
    'Terminal=false',
    'Categories=Utility;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes (atomically) or removes the autostart entry. Idempotent. */
export async function setLinuxAutostart(target: AutostartTarget, enabled: boolean, command: LaunchCommand): Promise<void> {
  const file = autostartPath(target);
  if (!enabled) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, desktopEntry(command), { mode: 0o644 });
  await rename(tmp, file);
}

export async function isLinuxAutostartEnabled(target: AutostartTarget): Promise<boolean> {
  try {
    const text = await readFile(autostartPath(target), 'utf8');
    return !/^X-GNOME-Autostart-enabled=false$/m.test(text) && !/^Hidden=true$/m.test(text);
  } catch {
    return false;
  }
}
