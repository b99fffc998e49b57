export * from './types.js';
export * from './store.js';
export * from './selectors.js';
export { connectStore } from './connect.js';
export { createOpsHeadRefresher, OPS_PAGE_SIZE, type OpsHeadRefresher } from './ops-actions.js';
export { KeychainSaveError, type RepoOpMethod } from './repos-actions.js';
// Every action fails with an RpcError (the host's code and words); views read the shape from here.
export { RpcError, toRpcError } from '../client/index.js';
export { mergeHead } from './slices.js';
export { AppProvider, useActions, useApp, useAppShallow, useAppStore, useHostCapabilities } from './react.js';
