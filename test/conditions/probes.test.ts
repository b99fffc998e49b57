// The probes against fixture trees: a fake /sys/class/power_supply, a scripted nmcli on PATH, a fake mountinfo, a
// TCP listener for "the host answers". Each case of the class the issue names, table by table.
import { afterEach, describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readLinuxPower } from '../../main/core/conditions/power-linux.js';
import { parseNmcliMetered, readNmcliMetered } from '../../main/core/conditions/metered-nmcli.js';
import { driveMounted, parseMountPoints } from '../../main/core/conditions/mounted.js';
import { endpointOf, repoReachable } from '../../main/core/conditions/reachable.js';
import { systemProbes } from '../../main/core/conditions/system-probes.js';
import { onBatteryProbe } from '../../main/hosts/electron/power.js';

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'backstay-conditions-'));
  dirs.push(dir);
  return dir;
}

type Supply = Record<string, string>;
async function powerTree(supplies: Record<string, Supply>): Promise<string> {
  const root = path.join(await tempDir(), 'power_supply');
  await mkdir(root);
  for (const [name, attrs] of Object.entries(supplies)) {
    await mkdir(path.join(root, name));
    for (const [attr, value] of Object.entries(attrs)) await writeFile(path.join(root, name, attr), `${value}\n`);
  }
  return root;
}

describe('Linux power from /sys/class/power_supply', () => {
  it.each<[string, Record<string, Supply>, { onBattery: boolean | null; percent: number | null }]>([
    ['laptop on AC, charging', { AC: { type: 'Mains', online: '1' }, BAT0: { type: 'Battery', status: 'Charging', capacity: '55' } }, { onBattery: false, percent: 55 }],
    ['laptop on battery', { AC: { type: 'Mains', online: '0' }, BAT0: { type: 'Battery', status: 'Discharging', capacity: '42' } }, { onBattery: true, percent: 42 }],
    ['AC offline, battery "Not charging"', { ADP1: { type: 'Mains', online: '0' }, BAT0: { type: 'Battery', status: 'Not charging', capacity: '80' } }, { onBattery: true, percent: 80 }],
    ['USB-C power online', { ucsi: { type: 'USB', online: '1' }, BAT0: { type: 'Battery', status: 'Full', capacity: '100' } }, { onBattery: false, percent: 100 }],
    ['two batteries averaged', { AC: { type: 'Mains', online: '0' }, BAT0: { type: 'Battery', status: 'Discharging', capacity: '30' }, BAT1: { type: 'Battery', status: 'Discharging', capacity: '50' } }, { onBattery: true, percent: 40 }],
    ['battery only, discharging, no mains listed', { BAT0: { type: 'Battery', status: 'Discharging', capacity: '12' } }, { onBattery: true, percent: 12 }],
    ['desktop: a mouse battery is not the machine', { hidpp: { type: 'Battery', scope: 'Device', status: 'Discharging', capacity: '5' } }, { onBattery: false, percent: null }],
    ['desktop: no supplies', {}, { onBattery: false, percent: null }],
  ])('%s', async (_name, supplies, expected) => {
    expect(await readLinuxPower(await powerTree(supplies))).toEqual(expected);
  });

  it('is unknown where there is no power_supply folder', async () => {
    expect(await readLinuxPower(path.join(await tempDir(), 'absent'))).toEqual({ onBattery: null, percent: null });
  });

  it.each<[string, () => unknown, boolean | null]>([
    ['on battery', () => true, true],
    ['on AC', () => false, false],
    ['a throw (an Electron without it)', () => {
      throw new Error('not supported');
    }, null],
    ['a non-boolean answer', () => undefined, null],
  ])("Electron's powerMonitor.isOnBatteryPower(): %s", (_name, answer, expected) => {
    expect(onBatteryProbe({ isOnBatteryPower: answer as () => boolean })()).toBe(expected);
  });

  it("takes the host's own answer (Electron powerMonitor) only where sysfs cannot tell", async () => {
    const absent = path.join(await tempDir(), 'absent');
    expect(await systemProbes({ powerSupplyRoot: absent, onBatteryPower: () => true }).power()).toEqual({ onBattery: true, percent: null });
    const onAc = await powerTree({ AC: { type: 'Mains', online: '1' }, BAT0: { type: 'Battery', status: 'Charging', capacity: '70' } });
    expect(await systemProbes({ powerSupplyRoot: onAc, onBatteryPower: () => true }).power()).toEqual({ onBattery: false, percent: 70 });
  });
});

const device = (state: string, metered: string) => `GENERAL.STATE:${state}\nGENERAL.METERED:${metered}\n`;
describe('metered from NetworkManager (nmcli)', () => {
  it.each<[string, string, boolean | null]>([
    ['wifi, not metered', device('100 (connected)', 'no') + '\n' + device('10 (unmanaged)', 'unknown'), false],
    ['phone hotspot', device('100 (connected)', 'yes'), true],
    ['guessed metered (a phone tethered over USB)', device('100 (connected)', 'yes (guessed)'), true],
    ['guessed not metered', device('100 (connected)', 'no (guessed)'), false],
    ['one of two connected is metered', device('100 (connected)', 'no') + device('100 (connected)', 'yes'), true],
    ['a connected device that cannot tell', device('100 (connected)', 'unknown'), null],
    ['nothing connected', device('30 (disconnected)', 'no') + device('10 (unmanaged)', 'unknown'), null],
    ['no output', '', null],
  ])('%s', (_name, stdout, expected) => {
    expect(parseNmcliMetered(stdout)).toBe(expected);
  });

  async function scriptedNmcli(script: string): Promise<string> {
    const bin = await tempDir();
    const file = path.join(bin, 'nmcli');
    await writeFile(file, `#!/bin/sh\n${script}\n`);
    await chmod(file, 0o755);
    return `${bin}:/usr/bin:/bin`;
  }

  it('runs nmcli with the C locale and reads what it prints', async () => {
    const PATH = await scriptedNmcli(
      `[ "$LC_ALL" = C ] || exit 9\n[ "$*" = "-t -f GENERAL.STATE,GENERAL.METERED device show" ] || exit 8\nprintf 'GENERAL.STATE:100 (connected)\\nGENERAL.METERED:yes\\n'`,
    );
    expect(await readNmcliMetered({ path: PATH })).toBe(true);
  });

  it.each([
    ['NetworkManager not running (nmcli exits 8)', `echo 'Error: NetworkManager is not running.' >&2; exit 8`],
    ['nmcli hangs', `sleep 30`],
  ])('is unknown when %s', async (_name, script) => {
    const PATH = await scriptedNmcli(script);
    expect(await readNmcliMetered({ path: PATH, timeoutMs: 500 })).toBeNull();
  });

  it('is unknown when nmcli is not installed', async () => {
    expect(await readNmcliMetered({ path: await tempDir() })).toBeNull();
  });
});

describe('the repository host answers', () => {
  it.each<[string, ReturnType<typeof endpointOf>]>([
    ['/srv/restic', { kind: 'local', path: '/srv/restic' }],
    ['local:/mnt/usb/restic', { kind: 'local', path: '/mnt/usb/restic' }],
    ['rest:http://nas.lan:8000/', { kind: 'tcp', host: 'nas.lan', port: 8000 }],
    ['rest:https://user:secret@backup.example.com/me/', { kind: 'tcp', host: 'backup.example.com', port: 443 }],
    ['rest:http://[::1]:8000/', { kind: 'tcp', host: '::1', port: 8000 }],
    ['sftp:me@nas.lan:/srv/restic', { kind: 'tcp', host: 'nas.lan', port: 22, sshAlias: true }],
    ['sftp:nas:/srv/restic', { kind: 'tcp', host: 'nas', port: 22, sshAlias: true }],
    ['sftp://me@nas.lan:2222//srv/restic', { kind: 'tcp', host: 'nas.lan', port: 2222 }],
    ['s3:s3.amazonaws.com/bucket', { kind: 'tcp', host: 's3.amazonaws.com', port: 443 }],
    ['s3:http://minio.lan:9000/bucket', { kind: 'tcp', host: 'minio.lan', port: 9000 }],
    ['b2:bucket:path', { kind: 'tcp', host: 'api.backblazeb2.com', port: 443 }],
  ])('%s', (uri, expected) => {
    expect(endpointOf(uri)).toEqual(expected);
  });

  it.each(['rclone:remote:path', 'swift:container:/path', 'azure:container:/'])('cannot tell where %s lives: unknown', async (uri) => {
    expect(endpointOf(uri).kind).toBe('unknown');
    expect(await repoReachable(uri)).toBeNull();
  });

  it('answers for a listening port, not for a closed one', async () => {
    const server = createServer((socket) => socket.destroy());
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    expect(await repoReachable(`rest:http://127.0.0.1:${port}/`)).toBe(true);
    await new Promise((r) => server.close(r));
    servers.splice(0);
    expect(await repoReachable(`rest:http://127.0.0.1:${port}/`)).toBe(false);
  });

  it('a local repository answers when its folder exists', async () => {
    const dir = await tempDir();
    expect(await repoReachable(dir)).toBe(true);
    expect(await repoReachable(path.join(dir, 'gone'))).toBe(false);
  });
});

describe('the drive is connected', () => {
  async function fixture() {
    const root = await tempDir();
    const mount = path.join(root, 'usb drive');
    await mkdir(path.join(mount, 'restic'), { recursive: true });
    const escaped = mount.replace(/ /g, '\\040');
    const mountinfo = path.join(root, 'mountinfo');
    await writeFile(mountinfo, `22 1 0:21 / /proc rw - proc proc rw\n98 1 8:17 / ${escaped} rw,nosuid - vfat /dev/sdb1 rw\n`);
    const notMounted = path.join(root, 'plain');
    await mkdir(notMounted);
    return { root, mount, mountinfo, notMounted };
  }

  it('reads mount points with their escapes', () => {
    expect(parseMountPoints('98 1 8:17 / /media/me/My\\040Drive rw - vfat /dev/sdb1 rw\n')).toEqual(new Set(['/media/me/My Drive']));
  });

  it('mounted, with the repository folder on it', async () => {
    const f = await fixture();
    expect(await driveMounted(f.mount, path.join(f.mount, 'restic'), f.mountinfo)).toBe(true);
  });
  it('mounted, but the repository folder is not on it (another drive)', async () => {
    const f = await fixture();
    expect(await driveMounted(f.mount, path.join(f.mount, 'other'), f.mountinfo)).toBe(false);
  });
  it('a folder that is not a mount point (the drive is not connected, the mount point is empty)', async () => {
    const f = await fixture();
    expect(await driveMounted(f.notMounted, path.join(f.notMounted, 'restic'), f.mountinfo)).toBe(false);
  });
  it('a mount path that does not exist', async () => {
    const f = await fixture();
    expect(await driveMounted(path.join(f.root, 'gone'), '/x', f.mountinfo)).toBe(false);
  });
  it('without mountinfo: told by the device differing from the parent', async () => {
    const f = await fixture();
    expect(await driveMounted(f.notMounted, f.notMounted, path.join(f.root, 'no-mountinfo'))).toBe(false);
    expect(await driveMounted('/proc', '/proc', path.join(f.root, 'no-mountinfo'))).toBe(true);
  });
});
