export * from './schema.js';
export { validateConfig, formatJsonPath } from './validate.js';
export { loadConfig, parseConfigText, serializeConfig } from './load.js';
export { saveConfig, updateConfig, type ConfigMutation } from './save.js';
export { resolveDataDir, ensureDataDir, dataDirPaths, PRODUCT_NAME, type DataDirOptions, type DataDirPaths } from './data-dir.js';
