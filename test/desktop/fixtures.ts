// Shared set-up for the desktop tests: a stand-in "user" (HOME, XDG_CONFIG_HOME), a workspace with a real restic
// repository, and small readers of what the app left behind (its oplog through the CLI, its log file).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Operation } from '../../main/common/index.js';
import { ROOT, type DesktopApp } from './harness.js';

export async function makeUserHome(): Promise<{ home: string; cleanup(): Promise<void> }> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'backstay-desktop-user-'));
  return { home, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/** The operations in the data dir's oplog, newest first, through the built CLI (`backstay ops --json`). */
export async function opsOf(dataDir: string): Promise<Operation[]> {
  const r = await execa(process.execPath, [path.join(ROOT, 'main/hosts/cli/backstay.mjs'), 'ops', '--data-dir', dataDir, '--json', '--limit', '50'], {
    reject: false,
    stdin: 'ignore',
  });
  if (r.exitCode !== 0) throw new Error(`backstay ops failed: ${r.stderr}`);
  return JSON.parse(String(r.stdout)) as Operation[];
}

export async function appLog(dataDir: string): Promise<string> {
  return readFile(path.join(dataDir, 'logs', 'main.log'), 'utf8').catch(() => '');
}

/** The live operation's id from the window (its progress row), waiting until it is there. */
export async function liveOpIdInWindow(app: DesktopApp, timeoutMs: number): Promise<number> {
  await app.call('waitForSelector', { selector: '[data-testid^="op-progress-"]', timeoutMs });
  const testId = (await app.call('evaluate', {
    fn: '() => document.querySelector(\'[data-testid^="op-progress-"]\')?.getAttribute("data-testid") ?? null',
  })) as string | null;
  const id = Number(testId?.slice('op-progress-'.length));
  if (!Number.isInteger(id) || id <= 0) throw new Error(`unexpected progress test id ${testId}`);
  return id;
}

/** The tray's item for a plan ("home - ..."), by its label's start. */
export function planItemLabel(tray: { menu: { label: string }[] | null }, planId: string): string | undefined {
  return tray.menu?.find((item) => item.label.startsWith(`${planId} - `))?.label;
}
