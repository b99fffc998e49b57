// Which icon file the tray shows per state and platform. The files come from assets/make-icons.mjs.
import path from 'node:path';
import type { StatusLevel } from '../../common/index.js';

/** One icon per overall status level (core/state/overall-status.ts); `idle` is the file name of "ok". */
export type TrayIcon = 'idle' | 'setup' | 'running' | 'cancelling' | 'stalled' | 'warning' | 'error' | 'paused' | 'postponed';

export const TRAY_ICON_BY_LEVEL: Record<StatusLevel, TrayIcon> = {
  ok: 'idle',
  setup: 'setup',
  running: 'running',
  cancelling: 'cancelling',
  stalled: 'stalled',
  warning: 'warning',
  error: 'error',
  paused: 'paused',
  postponed: 'postponed',
};

/**
 * macOS: a 16 pt template image (black + alpha, tinted by the menu bar); Linux panels: 22 px; Windows: 16 px.
 * Electron picks the @2x file beside it on high-density screens.
 */
export function trayIconFile(assetsDir: string, icon: TrayIcon, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return path.join(assetsDir, 'tray', `tray-${icon}-16Template.png`);
  const size = platform === 'linux' ? 22 : 16;
  return path.join(assetsDir, 'tray', `tray-${icon}-${size}.png`);
}

export function appIconFile(assetsDir: string): string {
  return path.join(assetsDir, 'icon-512.png');
}

/**
 * The assets folder on disk. Packaged, it is unpacked beside app.asar (electron-builder asarUnpack), because
 * the OS itself reads these files: a notification daemon or a panel cannot look inside an asar archive.
 */
export function assetsDirFor(appPath: string): string {
  const onDisk = appPath.replace(/app\.asar$/, 'app.asar.unpacked');
  return path.join(onDisk, 'assets');
}
