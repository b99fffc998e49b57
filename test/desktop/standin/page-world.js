// The renderer side of the Electron stand-in: what a sandboxed, context-isolated preload finds in Electron, built
// inside the page before any page script runs. The stand-in (electron.ts) prepends a `config` object and appends
// the real preload bundle (dist/preload/index.cjs), wrapped as a sandboxed preload is: `require('electron')`
// returns this file's `contextBridge` and `ipcRenderer`, and nothing else can be required.
//
// Not a module: the text of this file is part of an init script (Chromium runs init scripts before the page's own
// scripts and outside its Content-Security-Policy, as Electron runs preloads). It must define
// `installElectronStandin(config)` and nothing else at its top level.
// @ts-nocheck
function installElectronStandin(config) {
  // The transport to the main process: a playwright binding, taken out of the page's reach at once (the page
  // must see window.backstay and nothing else of Electron).
  const binding = globalThis[config.binding];
  try {
    delete globalThis[config.binding];
  } catch {
    /* not configurable: left as is, noted in README */
  }
  if (typeof binding !== 'function') throw new Error('Electron stand-in: the IPC binding is missing');
  // Electron runs the preload in the main frame only (nodeIntegrationInSubFrames is false).
  if (window !== window.top) return null;

  const listeners = new Map();
  const deliveredAt = [];
  let delivered = 0;
  const clone = (value) => structuredClone(value); // what Electron's IPC does to every argument (throws on functions)

  const ipcRenderer = {
    on(channel, listener) {
      if (typeof listener !== 'function') throw new TypeError('The "listener" argument must be of type function');
      if (!listeners.has(channel)) listeners.set(channel, []);
      listeners.get(channel).push({ listener, once: false });
      return ipcRenderer;
    },
    once(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, []);
      listeners.get(channel).push({ listener, once: true });
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      const list = listeners.get(channel);
      if (!list) return ipcRenderer;
      const index = list.findIndex((entry) => entry.listener === listener);
      if (index >= 0) list.splice(index, 1);
      if (list.length === 0) listeners.delete(channel);
      return ipcRenderer;
    },
    removeAllListeners(channel) {
      if (channel === undefined) listeners.clear();
      else listeners.delete(channel);
      return ipcRenderer;
    },
    listenerCount(channel) {
      return listeners.get(channel)?.length ?? 0;
    },
    send(channel, ...args) {
      const copied = clone(args);
      void binding({ kind: 'send', channel: String(channel), args: copied }).catch((error) => console.error(error));
    },
    invoke(channel, ...args) {
      let copied;
      try {
        copied = clone(args);
      } catch (error) {
        return Promise.reject(error);
      }
      return binding({ kind: 'invoke', channel: String(channel), args: copied });
    },
  };
  ipcRenderer.off = ipcRenderer.removeListener;
  ipcRenderer.addListener = ipcRenderer.on;
  for (const name of ['sendSync', 'sendToHost', 'postMessage']) {
    ipcRenderer[name] = () => {
      throw new Error(`not supported by the stand-in: ipcRenderer.${name}`);
    };
  }

  // webContents.send lands here (the stand-in calls it by its unguessable, non-enumerable name).
  const deliver = (channel, args) => {
    delivered += 1;
    deliveredAt.push(Date.now());
    if (deliveredAt.length > 256) deliveredAt.shift();
    const list = listeners.get(channel);
    if (!list) return;
    const event = { sender: ipcRenderer, ports: [] };
    for (const entry of [...list]) {
      if (entry.once) ipcRenderer.removeListener(channel, entry.listener);
      try {
        entry.listener(event, ...args);
      } catch (error) {
        // As in Electron: an exception in a listener is the page's uncaught error.
        setTimeout(() => {
          throw error;
        });
      }
    }
  };
  Object.defineProperty(globalThis, config.hook, {
    value: Object.freeze({ deliver, stats: () => ({ delivered, deliveredAt: [...deliveredAt] }) }),
    enumerable: false,
    configurable: false,
    writable: false,
  });

  // contextBridge: values are copied between the worlds, functions and promises are proxied, prototypes are
  // dropped, and the exposed object is frozen (Electron deep-freezes what it exposes).
  const copy = (value, depth) => {
    if (depth > 1000) throw new Error('Object has too much nesting to be copied over the context bridge');
    if (value === null || value === undefined) return value;
    const type = typeof value;
    if (type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint') return value;
    if (type === 'symbol') throw new Error('An object could not be cloned.');
    if (type === 'function') {
      const target = value;
      return function proxiedOverContextBridge(...args) {
        return copy(target(...args.map((arg) => copy(arg, 0))), 0);
      };
    }
    if (value instanceof Promise) {
      return new Promise((resolve, reject) => {
        value.then(
          (result) => resolve(copy(result, 0)),
          (error) => reject(copy(error, 0)),
        );
      });
    }
    if (value instanceof Error) return new Error(value.message);
    if (Array.isArray(value)) return value.map((item) => copy(item, depth + 1));
    if (value instanceof Date || value instanceof RegExp || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      return structuredClone(value);
    }
    if (typeof Node !== 'undefined' && value instanceof Node) throw new Error('not supported by the stand-in: DOM nodes over the context bridge');
    const out = {};
    for (const key of Object.keys(value)) out[key] = copy(value[key], depth + 1);
    return out;
  };
  const deepFreeze = (value) => {
    if (value && (typeof value === 'object' || typeof value === 'function') && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const key of Object.keys(value)) deepFreeze(value[key]);
    }
    return value;
  };
  const exposed = [];
  const contextBridge = {
    exposeInMainWorld(apiKey, api) {
      if (typeof apiKey !== 'string') throw new TypeError('apiKey must be a string');
      if (Object.prototype.hasOwnProperty.call(window, apiKey)) {
        throw new Error(`Cannot bind an API on top of an existing property on the window object`);
      }
      Object.defineProperty(window, apiKey, { value: deepFreeze(copy(api, 0)), enumerable: true, configurable: false, writable: false });
      exposed.push(apiKey);
    },
    exposeInIsolatedWorld() {
      throw new Error('not supported by the stand-in: contextBridge.exposeInIsolatedWorld');
    },
    executeInMainWorld() {
      throw new Error('not supported by the stand-in: contextBridge.executeInMainWorld');
    },
  };

  const electron = Object.freeze({ contextBridge, ipcRenderer });
  const allowed = new Set(['electron', 'electron/renderer']);
  const require = (name) => {
    if (allowed.has(name)) return electron;
    // A sandboxed preload can require only a few modules; the stand-in models 'electron' alone.
    throw new Error(`module not found: ${name}`);
  };
  const process = Object.freeze({
    platform: config.platform,
    arch: config.arch,
    type: 'renderer',
    sandboxed: true,
    contextIsolated: true,
    versions: Object.freeze({ ...config.versions }),
    env: Object.freeze({}),
  });
  return { require, process };
}
