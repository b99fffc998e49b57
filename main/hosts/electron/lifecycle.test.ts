import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/errors.js';
import { acquireHostLock } from '../../core/config/host-lock.js';
import { startEngine } from '../../core/engine.js';
import { decideOnClose, QuitController, startFailureExitCode, trayLikelyAvailable, type QuitPorts } from './lifecycle.js';

describe('trayLikelyAvailable', () => {
  it.each([
    ['linux', { XDG_CURRENT_DESKTOP: 'GNOME' }, false],
    ['linux', { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' }, true],
    ['linux', { XDG_CURRENT_DESKTOP: 'KDE' }, true],
    ['linux', { XDG_CURRENT_DESKTOP: 'XFCE' }, true],
    ['linux', {}, true],
    ['linux', { XDG_CURRENT_DESKTOP: 'GNOME', BACKSTAY_TRAY: '1' }, true],
    ['linux', { XDG_CURRENT_DESKTOP: 'KDE', BACKSTAY_TRAY: 'off' }, false],
    ['darwin', { XDG_CURRENT_DESKTOP: 'GNOME' }, true],
    ['win32', {}, true],
  ] as const)('%s %j -> %s', (platform, env, expected) => {
    expect(trayLikelyAvailable(platform, env)).toBe(expected);
  });
});

describe('the desktop host and the data directory lock', () => {
  it('startEngine as the desktop host is refused while another host holds the data directory, and exits 2', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'backstay-desktop-lock-'));
    const serveLock = await acquireHostLock(dataDir, { host: 'serve' });
    try {
      const silent = { info() {}, warn() {}, error() {} };
      let error: unknown;
      try {
        await startEngine({ dataDir, host: 'electron', runSchedules: true, logger: silent, configWatch: false });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(BackstayError);
      expect((error as BackstayError).code).toBe('HOST_RUNNING');
      expect((error as BackstayError).message).toContain(`\`backstay serve\`, pid ${process.pid}`);
      expect(startFailureExitCode(error)).toBe(2);
      expect(startFailureExitCode(new Error('other'))).toBe(1);
    } finally {
      serveLock.release();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('decideOnClose', () => {
  it('hides to the tray, asks where there is none (until remembered), closes when quitting', () => {
    expect(decideOnClose({ quitting: false, trayAvailable: true, closeWithoutTray: 'ask' })).toBe('hide');
    expect(decideOnClose({ quitting: false, trayAvailable: false, closeWithoutTray: 'ask' })).toBe('ask');
    expect(decideOnClose({ quitting: false, trayAvailable: false, closeWithoutTray: 'background' })).toBe('hide');
    expect(decideOnClose({ quitting: false, trayAvailable: false, closeWithoutTray: 'quit' })).toBe('close');
    expect(decideOnClose({ quitting: true, trayAvailable: true, closeWithoutTray: 'ask' })).toBe('close');
  });
});

function ports(over: Partial<QuitPorts> = {}) {
  const calls: string[] = [];
  const p: QuitPorts = {
    liveOperations: () => 2,
    confirmCancel: async (n) => {
      calls.push(`confirm:${n}`);
      return true;
    },
    stopUi: () => calls.push('stopUi'),
    shutdownEngine: async () => {
      calls.push('engine:start');
      await new Promise((r) => setImmediate(r));
      calls.push('engine:done');
    },
    releasePower: () => calls.push('releasePower'),
    flushLog: () => {
      calls.push('flushLog');
    },
    exit: (code) => calls.push(`exit:${code}`),
    ...over,
  };
  return { p, calls };
}

describe('QuitController', () => {
  it('asks before cancelling running operations, then shuts down in order', async () => {
    const { p, calls } = ports();
    const q = new QuitController(p);
    await expect(q.requestQuit()).resolves.toBe('quit');
    expect(calls).toEqual(['confirm:2', 'stopUi', 'engine:start', 'engine:done', 'releasePower', 'flushLog', 'exit:0']);
    expect(q.quitting).toBe(true);
  });

  it('stays when the user says no, and can be asked again', async () => {
    let answer = false;
    const { p, calls } = ports({ confirmCancel: async () => answer });
    const q = new QuitController(p);
    await expect(q.requestQuit()).resolves.toBe('stayed');
    expect(calls).toEqual([]);
    expect(q.quitting).toBe(false);
    answer = true;
    await expect(q.requestQuit()).resolves.toBe('quit');
    expect(calls.at(-1)).toBe('exit:0');
  });

  it('does not ask with nothing running, nor when the session ends', async () => {
    const a = ports({ liveOperations: () => 0 });
    await new QuitController(a.p).requestQuit();
    expect(a.calls[0]).toBe('stopUi');
    const b = ports();
    await new QuitController(b.p).requestQuit({ ask: false });
    expect(b.calls).not.toContain('confirm:2');
  });

  it('a second request joins the first (one dialog, one shutdown)', async () => {
    const { p, calls } = ports();
    const q = new QuitController(p);
    const [a, b] = await Promise.all([q.requestQuit(), q.requestQuit()]);
    expect([a, b]).toEqual(['quit', 'quit']);
    expect(calls.filter((c) => c === 'engine:start')).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith('confirm'))).toHaveLength(1);
  });

  it('an engine that fails or hangs still ends in exit (code 1), power released', async () => {
    const failing = ports({ shutdownEngine: async () => Promise.reject(new Error('boom')) });
    await new QuitController(failing.p).requestQuit({ ask: false });
    expect(failing.calls.slice(-3)).toEqual(['releasePower', 'flushLog', 'exit:1']);
    const hanging = ports({ shutdownEngine: () => new Promise(() => {}), engineTimeoutMs: 20 });
    await new QuitController(hanging.p).requestQuit({ ask: false });
    expect(hanging.calls.at(-1)).toBe('exit:1');
  });
});
