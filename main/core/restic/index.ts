// The restic wrapper's public surface: everything the supervisor, jobs and hosts need from restic.
export type { ResticMessage, ResticLine } from './messages.js';
export * from './binary.js';
export * from './env.js';
export * from './redact.js';
export * from './args.js';
export * from './line-reader.js';
export * from './parse.js';
export * from './errors.js';
