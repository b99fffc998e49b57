import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  START_TIME_TOLERANCE_MS,
  currentProcessIdentity,
  descendantPids,
  isPidAlive,
  isSameProcessAlive,
  killProcessTree,
  parseProcStat,
  processCommandLine,
  processCpuSeconds,
  processStartTime,
  terminateProcessTreeSync,
} from './process-identity.js';

const linux = process.platform === 'linux';
const children: ChildProcess[] = [];

function start(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore' });
  children.push(child);
  return child;
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, 'exit');
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.pid) killProcessTree(child.pid, 'SIGKILL');
});

describe('parseProcStat', () => {
  it('reads fields after a command name that holds spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = 'S';
    const stat = parseProcStat(`1234 (we(ird) name)) ${fields.join(' ')}`);
    expect(stat).toEqual({ state: 'S', ppid: 4, utimeTicks: 14, stimeTicks: 15, startTicks: 22 });
    expect(parseProcStat('garbage')).toBeNull();
  });
});

describe.runIf(linux)('process identity on Linux', () => {
  it('knows when this process started', () => {
    const self = currentProcessIdentity();
    expect(self.pid).toBe(process.pid);
    const expected = Date.now() - process.uptime() * 1000;
    expect(Math.abs(Date.parse(self.startedAt) - expected)).toBeLessThan(2000);
    expect(isSameProcessAlive(self.pid, self.startedAt)).toBe(true);
  });

  it('tells a living process from a dead one and from a later process with the same pid', async () => {
    const child = start('sleep', ['30']);
    const startedAt = processStartTime(child.pid!)!;
    expect(Math.abs(Date.parse(startedAt) - Date.now())).toBeLessThan(3000);
    expect(isSameProcessAlive(child.pid!, startedAt)).toBe(true);
    expect(isSameProcessAlive(child.pid!, null)).toBe(true);
    // Same pid, other start time: what pid reuse looks like.
    const earlier = new Date(Date.parse(startedAt) - START_TIME_TOLERANCE_MS - 60_000).toISOString();
    expect(isSameProcessAlive(child.pid!, earlier)).toBe(false);

    child.kill('SIGKILL');
    await exited(child);
    expect(isPidAlive(child.pid!)).toBe(false);
    expect(isSameProcessAlive(child.pid!, startedAt)).toBe(false);
    expect(processStartTime(child.pid!)).toBeNull();
    expect(isPidAlive(-1)).toBe(false);
    expect(isPidAlive(0)).toBe(false);
  });

  it('counts a zombie as dead and finds descendants', async () => {
    // sh starts a short child, then becomes a `sleep` that never reaps it: the child stays a zombie.
    const parent = start('sh', ['-c', 'sleep 0 & exec sleep 30']);
    let zombie: number | undefined;
    await vi.waitFor(
      () => {
        zombie = descendantPids(parent.pid!)[0];
        expect(zombie).toBeDefined();
        expect(readFileSync(`/proc/${zombie}/stat`, 'utf8')).toMatch(/\) Z /);
      },
      { timeout: 5000, interval: 10 },
    );
    expect(isPidAlive(zombie!)).toBe(false);
    expect(isPidAlive(parent.pid!)).toBe(true);
  });

  it('measures CPU time', () => {
    // Burn 200 ms of CPU as Node counts it (wall time would depend on how busy the machine is), then /proc agrees.
    const before = processCpuSeconds(process.pid)!;
    const usage = process.cpuUsage();
    const deadline = Date.now() + 10_000;
    const burnt = () => {
      const { user, system } = process.cpuUsage(usage);
      return (user + system) / 1e6;
    };
    while (burnt() < 0.2 && Date.now() < deadline) Math.sqrt(Math.random());
    const after = processCpuSeconds(process.pid)!;
    expect(after - before).toBeGreaterThanOrEqual(burnt() - 0.05); // /proc counts in 10 ms ticks
    expect(processCommandLine(process.pid)).toMatch(/node/);
  });

  it('kills a whole process tree', async () => {
    const parent = start('sh', ['-c', 'sleep 30 & sleep 30 & wait']);
    await vi.waitFor(() => expect(descendantPids(parent.pid!)).toHaveLength(2), { timeout: 5000, interval: 10 });
    const tree = [parent.pid!, ...descendantPids(parent.pid!)];
    expect(killProcessTree(parent.pid!, 'SIGKILL').sort()).toEqual([...tree].sort());
    await exited(parent);
    await vi.waitFor(() => expect(tree.filter(isPidAlive)).toEqual([]), { timeout: 5000, interval: 10 });
  });

  it('escalates to SIGKILL for a process that ignores SIGTERM, within the grace time', async () => {
    const stubborn = spawn(
      process.execPath,
      ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    children.push(stubborn);
    await once(stubborn.stdout!, 'data'); // its SIGTERM handler is in place
    const began = Date.now();
    expect(terminateProcessTreeSync(stubborn.pid!, 300)).toBe(true);
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
    expect(Date.now() - began).toBeLessThan(3000);
    expect(isPidAlive(stubborn.pid!)).toBe(false);
  });

  it('returns quickly for a process that honours SIGTERM', () => {
    const polite = start('sleep', ['30']);
    const began = Date.now();
    expect(terminateProcessTreeSync(polite.pid!, 5000)).toBe(true);
    expect(Date.now() - began).toBeLessThan(2000);
  });
});
