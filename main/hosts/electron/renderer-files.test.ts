import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_CSP, resolveRendererFile, serveRendererRequest } from './renderer-files.js';

let root: string;
let dir: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'backstay-renderer-'));
  dir = path.join(root, 'renderer');
  await mkdir(path.join(dir, 'assets'), { recursive: true });
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Backstay</title>');
  await writeFile(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(root, 'secret.txt'), 'secret');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('renderer files over app://', () => {
  it('maps URLs inside the renderer folder and nothing outside it', () => {
    expect(resolveRendererFile('app://backstay/', dir)).toBe(path.join(dir, 'index.html'));
    expect(resolveRendererFile('app://backstay/assets/app.js?v=1#x', dir)).toBe(path.join(dir, 'assets', 'app.js'));
    expect(resolveRendererFile('app://backstay/../secret.txt', dir)).toBe(path.join(dir, 'secret.txt')); // URL parsing folds ..
    expect(resolveRendererFile('app://backstay/%2e%2e/secret.txt', dir)).not.toBe(path.join(root, 'secret.txt'));
    expect(resolveRendererFile('app://backstay/..%2fsecret.txt', dir)).toBe(null);
    expect(resolveRendererFile('app://backstay/%00', dir)).toBe(null);
    expect(resolveRendererFile('app://other/index.html', dir)).toBe(null);
    expect(resolveRendererFile('file:///etc/passwd', dir)).toBe(null);
  });

  it('serves files with the CSP and the right type; 404 for the rest', async () => {
    const index = await serveRendererRequest('app://backstay/', dir);
    expect(index.status).toBe(200);
    expect(index.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(index.headers['Content-Security-Policy']).toBe(RENDERER_CSP);
    expect(index.body.toString()).toContain('<title>Backstay</title>');
    const js = await serveRendererRequest('app://backstay/assets/app.js', dir);
    expect(js.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    const escape = await serveRendererRequest('app://backstay/..%2fsecret.txt', dir);
    expect(escape.status).toBe(404);
    expect(escape.body.toString()).not.toContain('secret');
    expect((await serveRendererRequest('app://backstay/missing.js', dir)).status).toBe(404);
    expect((await serveRendererRequest('app://backstay/assets', dir)).status).toBe(404);
  });

  it('the CSP allows nothing remote and no inline script', () => {
    expect(RENDERER_CSP).toContain("default-src 'none'");
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
});
