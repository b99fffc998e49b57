// Preview and apply of an import against a config file: the merged config is validated before anything is written,
// secrets are stored first and removed again if the config cannot be saved, so an error leaves nothing behind.
import { BackstayError } from '../../common/errors.js';
import { updateConfig } from '../config/save.js';
import type { BackstayConfig } from '../config/schema.js';
import { removeSecretFile, secretFilePath, writeSecretFile } from '../config/secret-files.js';
import { validateConfig } from '../config/validate.js';
import { mergeImport, type MergedImport, type SecretSink } from './merge.js';
import type { ImportDraft, ImportPreview } from './types.js';

/** Secret files under <dataDir>/secrets/ (serve and the CLI). */
export function secretFileSink(dataDir: string): SecretSink {
  return {
    reference: (repoId) => ({ file: secretFilePath(dataDir, repoId) }),
    store: async (repoId, secret) => void (await writeSecretFile(dataDir, repoId, secret)),
    discard: (repoId) => removeSecretFile(dataDir, repoId),
  };
}

/** The draft merged into `existing` and checked as config.json would be; throws CONFIG_INVALID naming the path. */
export function previewImport(draft: ImportDraft, existing: BackstayConfig, sink: SecretSink, configFile: string): MergedImport {
  const merged = mergeImport(draft, existing, sink);
  try {
    validateConfig(merged.config, configFile);
  } catch (err) {
    if (err instanceof BackstayError) {
      throw new BackstayError(err.code, `The imported setup would not be a valid config, so nothing was imported.\n${err.message}`);
    }
    throw err;
  }
  return merged;
}

export async function storeSecrets(merged: MergedImport, sink: SecretSink): Promise<() => Promise<void>> {
  const stored: string[] = [];
  const undo = async () => {
    for (const repoId of stored) await sink.discard(repoId).catch(() => undefined);
  };
  try {
    for (const { repoId, value } of merged.secretWrites) {
      await sink.store(repoId, value);
      stored.push(repoId);
    }
  } catch (err) {
    await undo();
    throw err;
  }
  return undo;
}

/** Imports into `configFile` through the serialised, validating save path. */
export async function applyImportToFile(draft: ImportDraft, configFile: string, sink: SecretSink): Promise<ImportPreview> {
  let preview: ImportPreview | null = null;
  let undo: (() => Promise<void>) | null = null;
  try {
    await updateConfig(configFile, async (current) => {
      const merged = previewImport(draft, current, sink, configFile);
      undo = await storeSecrets(merged, sink);
      preview = merged.preview;
      return merged.config;
    });
  } catch (err) {
    await (undo as (() => Promise<void>) | null)?.();
    throw err;
  }
  return preview!;
}
