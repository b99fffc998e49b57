import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { BackstayError, FieldIssuesError } from '../../common/index.js';
import { createIpcRouter, isTrustedRendererUrl } from './ipc-router.js';

const rendererDir = path.resolve('/opt/backstay/dist/renderer');

describe('isTrustedRendererUrl', () => {
  it.each([
    ['app://backstay/', true],
    ['app://backstay/index.html#/ops/4', true],
    [pathToFileURL(path.join(rendererDir, 'index.html')).href, true],
    ['app://evil/index.html', false],
    ['app://backstay:8080/', false],
    ['app://user:pw@backstay/', false],
    ['http://127.0.0.1:5173/', false],
    ['https://backstay.dev/', false],
    [pathToFileURL('/opt/backstay/dist/renderer-evil/index.html').href, false],
    [pathToFileURL('/opt/backstay/dist/renderer/../secret.html').href, false],
    [pathToFileURL('/tmp/index.html').href, false],
    ['file://remotehost/opt/backstay/dist/renderer/index.html', false],
    ['about:blank', false],
    ['', false],
    ['not a url', false],
  ])('%s -> %s', (url, expected) => {
    expect(isTrustedRendererUrl(url, rendererDir)).toBe(expected);
  });
  it('null or undefined (a frame that went away) is not trusted', () => {
    expect(isTrustedRendererUrl(null, rendererDir)).toBe(false);
    expect(isTrustedRendererUrl(undefined, rendererDir)).toBe(false);
  });
});

function router(call = vi.fn(async (_m: string, _p: unknown, _c: unknown): Promise<unknown> => ({ ok: true })), hostMethods = {}) {
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const r = createIpcRouter({ rpc: { call }, isTrustedSender: (u) => isTrustedRendererUrl(u, rendererDir), hostMethods, logger });
  return { r, call, logger };
}

describe('createIpcRouter', () => {
  it('passes trusted calls to the engine with host "electron"', async () => {
    const { r, call } = router(vi.fn(async () => ({ opId: 4 })));
    await expect(r.handle('app://backstay/', { method: 'plans.backup', params: { planId: 'home' } })).resolves.toEqual({ result: { opId: 4 } });
    expect(call).toHaveBeenCalledWith('plans.backup', { planId: 'home' }, { host: 'electron' });
  });

  it('refuses an untrusted sender without calling the engine', async () => {
    const { r, call, logger } = router();
    await expect(r.handle('https://evil.example/', { method: 'ops.cancel', params: { opId: 1 } })).resolves.toEqual({
      error: { code: 'FORBIDDEN', message: 'This page may not control Backstay.' },
    });
    expect(call).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalled();
  });

  it('rejects a malformed payload as BAD_PARAMS', async () => {
    const { r, call } = router();
    for (const bad of [null, 'state.get', [], { params: {} }, { method: 42 }, { method: 'x'.repeat(101) }]) {
      await expect(r.handle('app://backstay/', bad)).resolves.toMatchObject({ error: { code: 'BAD_PARAMS' } });
    }
    expect(call).not.toHaveBeenCalled();
  });

  it('missing params become {}', async () => {
    const { r, call } = router();
    await r.handle('app://backstay/', { method: 'state.get' });
    expect(call).toHaveBeenCalledWith('state.get', {}, { host: 'electron' });
  });

  it('maps BackstayError to {error:{code,message}}', async () => {
    const { r } = router(vi.fn(async () => {
      throw new BackstayError('UNKNOWN_PLAN', 'There is no plan "x".', 'detail stays in main');
    }));
    await expect(r.handle('app://backstay/', { method: 'plans.backup', params: { planId: 'x' } })).resolves.toEqual({
      error: { code: 'UNKNOWN_PLAN', message: 'There is no plan "x".' },
    });
  });

  it('carries every field problem of a refused save in error.data.issues, so the form can mark each field', async () => {
    const issues = [
      { path: ['plan', 'paths', 1], code: 'not_absolute' as const, message: 'a path must be absolute' },
      { path: ['plan', 'schedule', 'cron'], code: 'invalid_cron' as const, message: 'invalid cron' },
    ];
    const { r } = router(vi.fn(async () => {
      throw new FieldIssuesError('BAD_PARAMS', 'Invalid params for config.savePlan (2 problems): ...', issues);
    }));
    await expect(r.handle('app://backstay/', { method: 'config.savePlan', params: {} })).resolves.toEqual({
      error: { code: 'BAD_PARAMS', message: 'Invalid params for config.savePlan (2 problems): ...', data: { issues } },
    });
  });

  it('never sends a raw error across IPC: INTERNAL with generic words, details in the log', async () => {
    const { r, logger } = router(vi.fn(async () => {
      throw new TypeError('cannot read x of undefined at /home/me/secret-path');
    }));
    const reply = await r.handle('app://backstay/', { method: 'ops.list', params: {} });
    expect(reply).toEqual({ error: { code: 'INTERNAL', message: 'Something went wrong inside Backstay. The log has the details.' } });
    expect(JSON.stringify(reply)).not.toContain('secret-path');
    expect(logger.error).toHaveBeenCalledWith('IPC method failed unexpectedly', expect.objectContaining({ method: 'ops.list' }));
  });

  it('host methods are answered by the host; inherited names are not methods', async () => {
    const setPassword = vi.fn(async () => ({ ok: true }));
    const { r, call } = router(undefined, { 'keychain.setPassword': setPassword });
    await expect(r.handle('app://backstay/', { method: 'keychain.setPassword', params: { repoId: 'a', password: 'p' } })).resolves.toEqual({ result: { ok: true } });
    expect(call).not.toHaveBeenCalled();
    await r.handle('app://backstay/', { method: 'toString', params: {} });
    expect(call).toHaveBeenCalledWith('toString', {}, { host: 'electron' });
  });

  it('an undefined result crosses as null', async () => {
    const { r } = router(vi.fn(async () => undefined));
    await expect(r.handle('app://backstay/', { method: 'schedule.resume', params: {} })).resolves.toEqual({ result: null });
  });
});
