// The app log through electron-log: <dataDir>/logs/main.log, rotated (main.1.log ... main.3.log). restic's own
// output stays in the oplog. Uncaught errors in main are logged and shown, never swallowed.
import path from 'node:path';
import log from 'electron-log/main';
import type { Logger } from '../../core/engine-api.js';
import { rotateLogFile } from './log-rotation.js';

export interface ElectronLog {
  logger: Logger;
  file: string;
  flush(): void;
}

export function setupElectronLog(logsDir: string, showError: (title: string, message: string) => void): ElectronLog {
  const file = path.join(logsDir, 'main.log');
  log.transports.file.resolvePathFn = () => file;
  log.transports.file.maxSize = 5 * 1024 * 1024;
  log.transports.file.archiveLogFn = (old) => rotateLogFile(old.path, 3);
  log.transports.console.level = process.env.BACKSTAY_LOG_CONSOLE ? 'info' : false;
  log.errorHandler.startCatching({
    showDialog: false,
    onError: ({ error, errorName }) => {
      showError('Backstay hit an unexpected error', `${error?.message ?? errorName}\n\nDetails are in ${file}.`);
    },
  });
  const at = (fn: (...args: unknown[]) => void) => (message: string, fields?: Record<string, unknown>) =>
    fields ? fn(message, fields) : fn(message);
  return {
    logger: { info: at(log.info), warn: at(log.warn), error: at(log.error) },
    file,
    flush: () => undefined, // the file transport writes synchronously
  };
}
