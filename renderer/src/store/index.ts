export * from './types.js';
export * from './store.js';
export * from './selectors.js';
export { connectStore } from './connect.js';
export { createOpsHeadRefresher, loadOlderOps, refreshOpsHead, OPS_HEAD_SIZE, OPS_PAGE_SIZE, type OpsHeadRefresher } from './ops-actions.js';
export { mergeHead } from './slices.js';
export { AppProvider, useApp, useAppShallow, useAppStore, useClient } from './react.js';
