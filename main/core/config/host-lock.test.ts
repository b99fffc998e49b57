import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/errors.js';
import { acquireHostLock, readHostInfo } from './host-lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'backstay-lock-'));
  dirs.push(dir);
  return dir;
}

async function refusal(promise: Promise<unknown>): Promise<BackstayError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(BackstayError);
    return err as BackstayError;
  }
  throw new Error('expected HOST_RUNNING');
}

/** Another process takes the lock (through the same module) and holds it until killed. */
function holderProcess(dataDir: string): Promise<{ pid: number; kill(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('${path.resolve('main/core/config/host-lock.ts').replace(/\\/g, '/')}').then(async (m) => {
         await m.acquireHostLock(process.argv[1], { host: 'serve' });
         console.log('locked');
         setInterval(() => {}, 1000);
       });`,
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      if (line === 'locked') resolve({ pid: child.pid!, kill: () => (child.kill('SIGKILL'), exited) });
      else reject(new Error(line));
    });
    child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
}

describe('host lock: one host per data directory', () => {
  it('a second taker in the same process is refused with HOST_RUNNING naming the pid; after release it is free', async () => {
    const dataDir = tempDataDir();
    const first = await acquireHostLock(dataDir, { host: 'serve' });
    expect(readHostInfo(dataDir)).toMatchObject({ pid: process.pid, host: 'serve' });
    const error = await refusal(acquireHostLock(dataDir, { host: 'electron', ownerWaitMs: 200 }));
    expect(error.code).toBe('HOST_RUNNING');
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(error.message).toContain(dataDir);
    expect(error.message.split('\n')).toHaveLength(1);
    first.release();
    first.release(); // idempotent
    expect(readHostInfo(dataDir)).toBeNull();
    const again = await acquireHostLock(dataDir, { host: 'electron' });
    expect(readHostInfo(dataDir)).toMatchObject({ pid: process.pid, host: 'electron' });
    again.release();
  });

  it('held by another process: refused naming that pid; when it is SIGKILLed the OS frees the lock', async () => {
    const dataDir = tempDataDir();
    const holder = await holderProcess(dataDir);
    try {
      const error = await refusal(acquireHostLock(dataDir, { host: 'serve' }));
      expect(error.code).toBe('HOST_RUNNING');
      expect(error.message).toContain(`\`backstay serve\`, pid ${holder.pid}`);
    } finally {
      await holder.kill();
    }
    // The dead holder's host.json is still there: it does not matter, the lock decides.
    expect(readHostInfo(dataDir)?.pid).toBe(holder.pid);
    const lock = await acquireHostLock(dataDir, { host: 'serve' });
    expect(readHostInfo(dataDir)?.pid).toBe(process.pid);
    lock.release();
  });

  it('a loser that finds only a dead predecessor in host.json waits for the winner, then says it cannot tell', async () => {
    const dataDir = tempDataDir();
    const holder = await holderProcess(dataDir);
    try {
      // Make host.json name a process that is gone, as between a new winner's lock and its write.
      writeFileSync(path.join(dataDir, 'host.json'), JSON.stringify({ pid: 2 ** 22 + 7, processStartedAt: new Date(0).toISOString(), host: 'serve', since: '' }));
      const started = Date.now();
      const error = await refusal(acquireHostLock(dataDir, { host: 'serve', ownerWaitMs: 300 }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(error.code).toBe('HOST_RUNNING');
      expect(error.message).toContain('pid not known yet');
    } finally {
      await holder.kill();
    }
  });

  it('a lock held only for a moment (two takers racing from shared to exclusive) is retried, not taken for a host', async () => {
    // Two processes that start at once can both hold SQLite's SHARED lock on the way to EXCLUSIVE; with no busy wait
    // both then get SQLITE_BUSY, and neither is a host. A reader holding SHARED for 150 ms stands for the other taker.
    const dataDir = tempDataDir();
    const reader = new Database(path.join(dataDir, 'host.lock'));
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM sqlite_master').get(); // SHARED lock until COMMIT
    setTimeout(() => reader.exec('COMMIT'), 150);
    try {
      const lock = await acquireHostLock(dataDir, { host: 'serve', ownerWaitMs: 2000 });
      expect(readHostInfo(dataDir)?.pid).toBe(process.pid);
      lock.release();
    } finally {
      reader.close();
    }
  });
});
