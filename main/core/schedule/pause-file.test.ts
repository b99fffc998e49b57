import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { pauseFilePersistence } from './pause-file.js';
import { Scheduler } from './scheduler.js';

it('the pause survives a restart through a file in the data directory', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backstay-pause-'));
  try {
    const file = path.join(dir, 'schedule-pause.json');
    const clock = { now: () => Date.UTC(2026, 0, 1, 10), setInterval: () => 1, clearInterval: () => undefined };
    const first = new Scheduler({ clock, persistence: pauseFilePersistence(file), fire: () => undefined });
    first.pause(new Date(Date.UTC(2026, 0, 1, 12)));
    const second = new Scheduler({ clock, persistence: pauseFilePersistence(file), fire: () => undefined });
    expect(second.pausedUntil()).toEqual(new Date(Date.UTC(2026, 0, 1, 12)));
    second.pause(null);
    expect(new Scheduler({ clock, persistence: pauseFilePersistence(file), fire: () => undefined }).pausedUntil()).toBe('forever');
    second.resume();
    await expect(fs.stat(file)).rejects.toThrow();
    expect(new Scheduler({ clock, persistence: pauseFilePersistence(file), fire: () => undefined }).pausedUntil()).toBeNull();
    // A damaged file means "not paused", never a crash.
    await fs.writeFile(file, '{oops');
    expect(pauseFilePersistence(file).load()).toBeNull();
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
