export * from './operation.js';
export * from './errors.js';
export * from './state.js';
export * from './rpc.js';
