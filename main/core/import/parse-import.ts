// One entry for every kind of source: the text of a file from Backrest, resticprofile or `backstay export`, read
// into an ImportDraft. Bad input throws BackstayError IMPORT_INVALID naming the file and the place.
import os from 'node:os';
import path from 'node:path';
import { importBackrest } from './backrest.js';
import { importBackstayExport } from './export-file.js';
import { importResticprofile } from './resticprofile.js';
import type { ImportDraft, ImportSource } from './types.js';

export interface ImportInput {
  from: ImportSource;
  text: string;
  /** The file's path (a name for messages when the text came from a window). */
  file: string;
  /** For a Backstay export with secrets. */
  passphrase?: () => Promise<string>;
  home?: string;
  /** Where relative paths in the file lead; the file's folder when absent. */
  baseDir?: string;
}

export async function parseImport(input: ImportInput): Promise<ImportDraft> {
  const ctx = { file: input.file, home: input.home ?? os.homedir(), baseDir: input.baseDir ?? path.dirname(path.resolve(input.file)) };
  switch (input.from) {
    case 'backrest':
      return importBackrest(input.text, ctx);
    case 'resticprofile':
      return importResticprofile(input.text, ctx);
    case 'backstay':
      return importBackstayExport(input.text, {
        file: input.file,
        passphrase: input.passphrase ?? (() => Promise.reject(new Error('a passphrase is needed'))),
      });
  }
}
