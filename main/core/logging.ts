// The application log: electron-log's Node flavour writing to <dataDir>/logs/<host>.log, rotated at 5 MB.
// Chosen over a hand-written logger because the desktop app uses electron-log anyway, so both hosts write the same
// format to the same folder. Fields are structured; callers never pass secrets (passwords never reach this layer).
import path from 'node:path';
import log from 'electron-log/node.js';
import type { Logger } from './engine-api.js';

const MAX_LOG_BYTES = 5 * 1024 * 1024;

export function createLogger(logsDir: string, host: string): Logger {
  const instance = log.create({ logId: `backstay-${host}-${process.pid}` });
  instance.transports.file.resolvePathFn = () => path.join(logsDir, `${host}.log`);
  instance.transports.file.maxSize = MAX_LOG_BYTES;
  instance.transports.file.level = 'info';
  // The CLI prints JSON on stdout and one line on stderr for errors: the console transport stays quiet.
  instance.transports.console.level = false;
  const format = (message: string, fields?: Record<string, unknown>) =>
    fields && Object.keys(fields).length > 0 ? `${message} ${JSON.stringify(fields)}` : message;
  return {
    info: (message, fields) => instance.info(format(message, fields)),
    warn: (message, fields) => instance.warn(format(message, fields)),
    error: (message, fields) => instance.error(format(message, fields)),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
