import { describe, expect, it, vi } from 'vitest';
import { BackstayError } from '../../common/index.js';
import { runTrayAction, type ActionPorts } from './tray-actions.js';

function ports() {
  const invoke = vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true }));
  const p = { rpc: { invoke }, openWindow: vi.fn(), requestQuit: vi.fn(), reportError: vi.fn() };
  return { p: p as unknown as ActionPorts & typeof p, invoke };
}

describe('runTrayAction', () => {
  it('maps each action to its RPC call or window action', async () => {
    const { p, invoke } = ports();
    await runTrayAction({ action: 'backup', planId: 'home' }, p);
    await runTrayAction({ action: 'cancel', opId: 4 }, p);
    await runTrayAction({ action: 'keepWaiting', opId: 4 }, p);
    await runTrayAction({ action: 'pause', until: '2026-11-26T00:00:00.000Z' }, p);
    await runTrayAction({ action: 'pause', until: null }, p);
    await runTrayAction({ action: 'resume' }, p);
    expect(invoke.mock.calls).toEqual([
      ['plans.backup', { planId: 'home', trigger: 'tray' }],
      ['ops.cancel', { opId: 4 }],
      ['ops.keepWaiting', { opId: 4 }],
      ['schedule.pause', { until: '2026-11-26T00:00:00.000Z' }],
      ['schedule.pause', { until: null }],
      ['schedule.resume', {}],
    ]);
    await runTrayAction({ action: 'open', opId: 4 }, p);
    expect(p.openWindow).toHaveBeenCalledWith({ opId: 4 });
    await runTrayAction({ action: 'quit' }, p);
    expect(p.requestQuit).toHaveBeenCalled();
  });

  it('reports a failed action instead of swallowing it', async () => {
    const { p, invoke } = ports();
    const err = new BackstayError('ALREADY_RUNNING', 'Home is already backing up.');
    invoke.mockRejectedValueOnce(err);
    await runTrayAction({ action: 'backup', planId: 'home' }, p);
    expect(p.reportError).toHaveBeenCalledWith({ action: 'backup', planId: 'home' }, err);
  });
});
