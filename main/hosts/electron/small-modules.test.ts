// launch args, prefs, log rotation, icon paths, language pick, formatters.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPrefs, savePrefs, DEFAULT_PREFS } from './desktop-prefs.js';
import { formatBytes, formatDuration } from './format.js';
import { pickLang } from './i18n.js';
import { parseLaunchArgs } from './launch-args.js';
import { rotateLogFile } from './log-rotation.js';
import { assetsDirFor, trayIconFile } from './tray-icons.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'backstay-small-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('parseLaunchArgs', () => {
  it('--data-dir beats $BACKSTAY_DATA_DIR; --hidden; relative paths resolve against cwd', () => {
    expect(parseLaunchArgs(['electron', '.', '--data-dir', 'd1', '--hidden'], { BACKSTAY_DATA_DIR: '/env' }, '/cwd')).toEqual({ dataDir: '/cwd/d1', hidden: true });
    expect(parseLaunchArgs(['app', '--data-dir=/x'], {}, '/cwd')).toEqual({ dataDir: '/x', hidden: false });
    expect(parseLaunchArgs(['app'], { BACKSTAY_DATA_DIR: '/env' }, '/cwd')).toEqual({ dataDir: '/env', hidden: false });
    expect(parseLaunchArgs(['app'], {}, '/cwd')).toEqual({ dataDir: null, hidden: false });
  });
});

describe('desktop prefs', () => {
  it('round-trips and falls back to defaults for missing or bad files', () => {
    const d = tmp();
    expect(loadPrefs(d)).toEqual(DEFAULT_PREFS);
    savePrefs(d, { closeWithoutTray: 'background', allowInsecureKeychain: true, trayHintShown: true });
    expect(loadPrefs(d)).toEqual({ closeWithoutTray: 'background', allowInsecureKeychain: true, trayHintShown: true });
    writeFileSync(path.join(d, 'desktop.json'), '{"closeWithoutTray":"explode","allowInsecureKeychain":"yes"}');
    expect(loadPrefs(d)).toEqual(DEFAULT_PREFS);
  });
});

describe('rotateLogFile', () => {
  it('shifts main.log to main.1.log ... and drops the oldest', () => {
    const d = tmp();
    const log = path.join(d, 'main.log');
    for (let i = 1; i <= 5; i++) {
      writeFileSync(log, `gen${i}`);
      rotateLogFile(log, 3);
    }
    expect(existsSync(log)).toBe(false);
    expect(readFileSync(path.join(d, 'main.1.log'), 'utf8')).toBe('gen5');
    expect(readFileSync(path.join(d, 'main.3.log'), 'utf8')).toBe('gen3');
    expect(existsSync(path.join(d, 'main.4.log'))).toBe(false);
  });
});

describe('tray icons', () => {
  it('template on macOS, 22 px on Linux, 16 px on Windows, and the files exist', () => {
    const assets = path.resolve('assets');
    expect(trayIconFile(assets, 'stalled', 'darwin')).toBe(path.join(assets, 'tray', 'tray-stalled-16Template.png'));
    expect(trayIconFile(assets, 'idle', 'linux')).toBe(path.join(assets, 'tray', 'tray-idle-22.png'));
    expect(trayIconFile(assets, 'error', 'win32')).toBe(path.join(assets, 'tray', 'tray-error-16.png'));
    for (const icon of ['idle', 'setup', 'running', 'cancelling', 'stalled', 'error', 'paused', 'warning'] as const) {
      for (const platform of ['darwin', 'linux', 'win32'] as const) {
        const file = trayIconFile(assets, icon, platform);
        expect(existsSync(file), file).toBe(true);
        expect(existsSync(file.replace(/\.png$/, '@2x.png')), file).toBe(true);
      }
    }
  });
});

describe('assetsDirFor', () => {
  it('uses the unpacked copy when packaged', () => {
    expect(assetsDirFor('/opt/Backstay/resources/app.asar')).toBe('/opt/Backstay/resources/app.asar.unpacked/assets');
    expect(assetsDirFor('/repo')).toBe('/repo/assets');
  });
});

describe('language and formatting', () => {
  it('picks the setting, else the OS locale', () => {
    expect(pickLang('zh-CN', 'en-US')).toBe('zh-CN');
    expect(pickLang(undefined, 'zh-TW')).toBe('zh-CN');
    expect(pickLang(undefined, 'de-DE')).toBe('en');
  });
  it('durations and binary sizes', () => {
    expect(formatDuration(30_000, 'en')).toBe('<1 min');
    expect(formatDuration(6 * 60_000, 'en')).toBe('6 min');
    expect(formatDuration(80 * 60_000, 'en')).toBe('1 h 20 min');
    expect(formatDuration(119.9 * 60_000, 'en')).toBe('2 h');
    expect(formatDuration(3 * 86_400_000, 'en')).toBe('3 d');
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(312 * 2 ** 20)).toBe('312 MiB');
    expect(formatBytes(1.1 * 2 ** 40)).toBe('1.1 TiB');
  });
});
