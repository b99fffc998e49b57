// IPC channel names shared by the main process and the preload (which bundles this file; keep it dependency-free).
export const STATE_CHANNEL = 'backstay:state';
export const ACK_CHANNEL = 'backstay:ack';
export const INVOKE_CHANNEL = 'backstay:invoke';
export const NAVIGATE_CHANNEL = 'backstay:navigate';
