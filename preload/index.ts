// The preload: runs sandboxed and isolated, bundled to dist/preload/index.cjs (a sandboxed preload cannot require
// project files). Exposes exactly window.backstay.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

const bridge = createBridge(ipcRenderer);

// Functions only, so the page never holds ipcRenderer or an event object.
contextBridge.exposeInMainWorld('backstay', {
  invoke: (method: Parameters<typeof bridge.invoke>[0], params: Parameters<typeof bridge.invoke>[1]) => bridge.invoke(method, params),
  onState: (cb: Parameters<typeof bridge.onState>[0]) => bridge.onState(cb),
  ackState: (version: number) => bridge.ackState(version),
  // A click on a notification or tray item opens that operation or plan in the window (renderer store/connect.ts).
  onNavigate: (cb: Parameters<NonNullable<typeof bridge.onNavigate>>[0]) => bridge.onNavigate!(cb),
});
