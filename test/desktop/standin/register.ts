// `node --import <this file> <desktop entry>`: resolves `electron` (from ESM imports and CommonJS requires alike)
// to the Chromium-backed stand-in, so that the real desktop entry runs unchanged. Nothing else is touched.
import { createRequire, registerHooks } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const STANDIN = new URL('./electron.ts', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron' || specifier === 'electron/main') return { url: STANDIN, shortCircuit: true };
    if (specifier.startsWith('electron/')) throw new Error(`not supported by the stand-in: import of "${specifier}"`);
    return nextResolve(specifier, context);
  },
});

// BACKSTAY_STANDIN_PLATFORM=darwin|win32: the app sees that process.platform (for what differs per OS in the app's
// own code, e.g. notification buttons, which Electron shows on macOS and Windows only). The stand-in then follows
// that platform's documented behaviour; Node itself and the engine still run on Linux.
const emulated = process.env.BACKSTAY_STANDIN_PLATFORM;
if (emulated) {
  if (emulated !== 'darwin' && emulated !== 'win32') throw new Error(`BACKSTAY_STANDIN_PLATFORM must be darwin or win32, not ${emulated}`);
  // Native addons pick their binary by process.platform when first loaded: load better-sqlite3's Linux binary
  // (the copy the entry resolves) before the switch, so that the app's later `new Database()` reuses it.
  const entryRequire = createRequire(path.resolve(process.argv[1] ?? '.'));
  const Database = entryRequire('better-sqlite3') as new (file: string) => { close(): void };
  new Database(':memory:').close();
  // Node's os.tmpdir() follows process.platform, and on Windows it reads TEMP: keep this machine's temp folder.
  if (emulated === 'win32') process.env.TEMP ??= os.tmpdir();
  Object.defineProperty(process, 'platform', { value: emulated, enumerable: true });
}
