// Bad input to an import (a truncated file, an unknown version, an inherit cycle): one line naming the file and the
// place, so that `backstay import` can print it and exit 2 with nothing written.
import { BackstayError } from '../../common/errors.js';

export function importError(file: string, where: string | null, message: string): BackstayError {
  return new BackstayError('IMPORT_INVALID', `${file}: ${where ? `${where}: ` : ''}${message}`);
}

/** "repos[2].uri" from ["repos", 2, "uri"]. */
export function describePath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
