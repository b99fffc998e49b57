import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autostartPath, desktopEntry, isLinuxAutostartEnabled, launchCommand, setLinuxAutostart } from './autostart-linux.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'backstay-autostart-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('linux autostart', () => {
  it('writes and removes ~/.config/autostart/backstay.desktop under the given home', async () => {
    const file = path.join(home, '.config', 'autostart', 'backstay.desktop');
    expect(autostartPath({ home })).toBe(file);
    const cmd = launchCommand({ execPath: '/opt/Backstay/backstay', isPackaged: true, appPath: '/opt/Backstay/resources/app.asar' });
    await setLinuxAutostart({ home }, true, cmd);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('[Desktop Entry]\nType=Application\n');
    expect(text).toContain('\nExec=/opt/Backstay/backstay --hidden\n');
    expect(text).toContain('X-GNOME-Autostart-enabled=true');
    expect(await isLinuxAutostartEnabled({ home })).toBe(true);
    await setLinuxAutostart({ home }, true, cmd); // idempotent
    await setLinuxAutostart({ home }, false, cmd);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await isLinuxAutostartEnabled({ home })).toBe(false);
    await setLinuxAutostart({ home }, false, cmd); // removing twice is fine
  });

  it('honours an absolute XDG_CONFIG_HOME and ignores a relative one', () => {
    expect(autostartPath({ home, xdgConfigHome: '/x/cfg' })).toBe('/x/cfg/autostart/backstay.desktop');
    expect(autostartPath({ home, xdgConfigHome: 'rel' })).toBe(path.join(home, '.config/autostart/backstay.desktop'));
  });

  it('runs the AppImage file, not its temporary mount; from source runs electron with the app folder', () => {
    expect(launchCommand({ execPath: '/tmp/.mount_x/backstay', appImage: '/home/me/Apps/Backstay.AppImage', isPackaged: true, appPath: '' })).toEqual({
      exec: '/home/me/Apps/Backstay.AppImage',
      args: ['--hidden'],
    });
    expect(launchCommand({ execPath: '/repo/node_modules/electron/dist/electron', isPackaged: false, appPath: '/repo' })).toEqual({
      exec: '/repo/node_modules/electron/dist/electron',
      args: ['/repo', '--hidden'],
    });
  });

  it('quotes Exec per the Desktop Entry spec', () => {
    const line = (exec: string, args: string[] = []) => desktopEntry({ exec, args }).split('\n').find((l) => l.startsWith('Exec='));
    expect(line('/home/me/My Apps/Backstay.AppImage', ['--hidden'])).toBe('Exec="/home/me/My Apps/Backstay.AppImage" --hidden');
    expect(line('/opt/a$b/x')).toBe('Exec="/opt/a\\\\$b/x"');
    expect(line('/opt/100%/x')).toBe('Exec=/opt/100%%/x');
    expect(line('/opt/"q"/x')).toBe('Exec="/opt/\\\\"q\\\\"/x"');
  });
});
