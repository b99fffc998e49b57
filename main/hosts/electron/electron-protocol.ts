// app://backstay/ serves dist/renderer: a standard, secure scheme, so the page has a real origin and the CSP's
// 'self' means the app and nothing else.
import { protocol } from 'electron';
import { APP_SCHEME } from './ipc-router.js';
import { serveRendererRequest } from './renderer-files.js';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

export function serveAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const { status, headers, body } = await serveRendererRequest(request.url, rendererDir);
    return new Response(new Uint8Array(body), { status, headers });
  });
}
