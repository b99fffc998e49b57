import { describe, expect, it, vi } from 'vitest';
import { createBridge, type IpcRendererPort } from './bridge.js';
import { appState } from '../main/core/state/testing/app-state.js';

function fakeIpc(reply: unknown = { result: { opId: 3 } }) {
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  const ipc = {
    invoke: vi.fn(async (..._a: unknown[]) => reply),
    send: vi.fn(),
    on: vi.fn((ch: string, l: (e: unknown, ...a: unknown[]) => void) => {
      if (!listeners.has(ch)) listeners.set(ch, new Set());
      listeners.get(ch)!.add(l);
    }),
    removeListener: vi.fn((ch: string, l: (e: unknown, ...a: unknown[]) => void) => listeners.get(ch)?.delete(l)),
    emit: (ch: string, ...a: unknown[]) => listeners.get(ch)?.forEach((l) => l({ sender: 'ipc-event' }, ...a)),
    count: (ch: string) => listeners.get(ch)?.size ?? 0,
  };
  return ipc as typeof ipc & IpcRendererPort;
}

describe('preload bridge', () => {
  it('onNavigate passes only a plan id and an operation id to the page, and unsubscribes', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    const seen: unknown[] = [];
    const stop = bridge.onNavigate!((t) => seen.push(t));
    ipc.emit('backstay:navigate', { opId: 5, planId: 'home', evil: '<script>' });
    ipc.emit('backstay:navigate', { opId: '5' });
    expect(seen).toEqual([{ opId: 5, planId: 'home' }, {}]);
    stop();
    expect(ipc.count('backstay:navigate')).toBe(0);
  });

  it('invoke sends {method, params} on backstay:invoke and unwraps the result', async () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    await expect(bridge.invoke('plans.backup', { planId: 'home' })).resolves.toEqual({ opId: 3 });
    expect(ipc.invoke).toHaveBeenCalledWith('backstay:invoke', { method: 'plans.backup', params: { planId: 'home' } });
  });

  it('an {error} reply rejects with its code and message, as a plain object that survives contextBridge', async () => {
    const bridge = createBridge(fakeIpc({ error: { code: 'WRONG_PASSWORD', message: 'The repository password is wrong.' } }));
    const err = await bridge.invoke('ops.get', { opId: 1 }).catch((e: unknown) => e);
    expect(err).toEqual({ name: 'BackstayError', code: 'WRONG_PASSWORD', message: 'The repository password is wrong.' });
    expect(Object.getPrototypeOf(err)).toBe(Object.prototype);
  });

  it('an {error} with data (every field problem of a save) keeps the data', async () => {
    const data = { issues: [{ path: ['plan', 'paths', 1], code: 'not_absolute', message: 'a path must be absolute' }] };
    const bridge = createBridge(fakeIpc({ error: { code: 'BAD_PARAMS', message: 'Invalid params', data } }));
    const err = await bridge.invoke('config.savePlan', { plan: { id: 'x', repo: 'r', paths: ['rel'] } }).catch((e: unknown) => e);
    expect(err).toEqual({ name: 'BackstayError', code: 'BAD_PARAMS', message: 'Invalid params', data });
  });

  it('garbage replies and transport failures become INTERNAL', async () => {
    await expect(createBridge(fakeIpc('nope')).invoke('state.get', {})).rejects.toMatchObject({ code: 'INTERNAL' });
    const ipc = fakeIpc();
    ipc.invoke.mockRejectedValueOnce(new Error('No handler registered'));
    await expect(createBridge(ipc).invoke('state.get', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('onState delivers the state only (never the IPC event) and unsubscribes once', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    const got: unknown[][] = [];
    const off = bridge.onState((...args) => got.push(args));
    const s = appState({ version: 7 });
    ipc.emit('backstay:state', s);
    expect(got).toEqual([[s]]);
    off();
    off();
    expect(ipc.removeListener).toHaveBeenCalledTimes(1);
    expect(ipc.count('backstay:state')).toBe(0);
    ipc.emit('backstay:state', s);
    expect(got).toHaveLength(1);
  });

  it('ackState sends the version, ignores non-numbers', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    bridge.ackState(7);
    bridge.ackState(Number.NaN);
    bridge.ackState('7' as unknown as number);
    expect(ipc.send.mock.calls).toEqual([['backstay:ack', 7]]);
  });
});
