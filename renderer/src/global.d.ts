import type { BackstayBridge } from '../../main/common/index.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser tab. */
    backstay?: BackstayBridge;
  }
}
export {};
