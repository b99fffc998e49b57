// The story, small (64 MiB; bench/desktop-frozen.ts runs it at >= 1 GiB with figures): a real backup started
// from the tray runs to success while the window's renderer is suspended the whole time. The page really ran
// nothing meanwhile, nothing queued toward it (at most one snapshot on its way), the main process did not grow,
// and once thawed the window shows the final state within one UI tick.
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBenchData } from '../../bench/serve-sse/bench-data.js';
import { runFrozenBackup } from './frozen-story.js';

const SIZE_MIB = 64;
const sourceDir = path.join(os.tmpdir(), `backstay-desktop-frozen-${process.pid}`);

afterAll(() => rm(sourceDir, { recursive: true, force: true }));

describe('a backup while the window is suspended', () => {
  it('runs to success with the renderer stopped throughout; the thawed window shows the end within one UI tick', async () => {
    await ensureBenchData(sourceDir, SIZE_MIB, () => undefined);
    const run = await runFrozenBackup({ mode: 'suspended', sourceDir, uiUpdateHz: 4, timeoutMs: 90_000 });
    expect(run.status).toBe('success');
    // Suspended for real: no timer tick and no delivery in the page between SIGSTOP and SIGCONT.
    expect(run.pageTicksWhileSuspended).toBe(0);
    expect(run.pageDeliveriesWhileSuspended).toBe(0);
    // Nothing queues per update: the transport sends one snapshot and waits for its ack.
    expect(run.maxPendingSends).toBeLessThanOrEqual(1);
    expect(run.windowSends).toBeLessThanOrEqual(1);
    expect(run.rssPeakGrowthMB).toBeLessThan(20);
    expect(run.finalStateAfterThawMs).not.toBeNull();
    expect(run.finalStateAfterThawMs!).toBeLessThanOrEqual(1000 / run.uiUpdateHz);
  });
});
