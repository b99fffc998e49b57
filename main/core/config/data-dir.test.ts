import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDataDir, resolveDataDir } from './data-dir.js';

describe('resolveDataDir', () => {
  const home = '/home/me';
  it('prefers --data-dir, then $BACKSTAY_DATA_DIR', () => {
    const env = { BACKSTAY_DATA_DIR: '/from/env' };
    expect(resolveDataDir({ flag: '/from/flag', env, platform: 'linux', homedir: home })).toBe('/from/flag');
    expect(resolveDataDir({ env, platform: 'linux', homedir: home })).toBe('/from/env');
    expect(resolveDataDir({ flag: '', env: { BACKSTAY_DATA_DIR: '' }, platform: 'linux', homedir: home })).toBe(
      '/home/me/.config/Backstay',
    );
  });

  it('makes a relative --data-dir absolute', () => {
    expect(resolveDataDir({ flag: 'data', env: {}, platform: 'linux', homedir: home })).toBe(path.resolve('data'));
  });

  it("matches Electron's userData for productName Backstay on each OS", () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', homedir: home })).toBe('/home/me/.config/Backstay');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux', homedir: home })).toBe('/xdg/Backstay');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: 'rel' }, platform: 'linux', homedir: home })).toBe(
      '/home/me/.config/Backstay',
    );
    expect(resolveDataDir({ env: {}, platform: 'darwin', homedir: '/Users/me' })).toBe(
      '/Users/me/Library/Application Support/Backstay',
    );
    expect(resolveDataDir({ env: { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, platform: 'win32', homedir: 'C:\\Users\\me' })).toBe(
      'C:\\Users\\me\\AppData\\Roaming\\Backstay',
    );
    expect(resolveDataDir({ env: {}, platform: 'win32', homedir: 'C:\\Users\\me' })).toBe(
      'C:\\Users\\me\\AppData\\Roaming\\Backstay',
    );
  });
});

describe('ensureDataDir', () => {
  it('creates the folder (0700) and logs/', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'backstay-datadir-'));
    try {
      const dir = path.join(root, 'a', 'Backstay');
      const paths = await ensureDataDir(dir);
      expect(paths).toEqual({
        dir,
        configFile: path.join(dir, 'config.json'),
        oplogFile: path.join(dir, 'oplog.sqlite'),
        logsDir: path.join(dir, 'logs'),
      });
      expect((await fs.stat(paths.logsDir)).isDirectory()).toBe(true);
      if (process.platform !== 'win32') expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
      await ensureDataDir(dir); // idempotent
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
