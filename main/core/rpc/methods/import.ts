// `config.importPreview` / `config.importApply` (the window's "I already use Backrest / resticprofile") and
// `repos.setPassword` (the window's "type a password"). Secrets go to the keychain when the host has one (desktop)
// and to 0600 files under <dataDir>/secrets/ otherwise; no answer carries a secret.
import path from 'node:path';
import { BackstayError } from '../../../common/errors.js';
import type { ImportPreviewResult } from '../../../common/index.js';
import type { EngineInternals } from '../../engine-internals.js';
import { dataDirPaths } from '../../config/data-dir.js';
import { writeSecretFile } from '../../config/secret-files.js';
import { maskRepoSecrets } from '../../config/secret-mask.js';
import { previewImport, secretFileSink, storeSecrets } from '../../import/apply-import.js';
import type { SecretSink } from '../../import/merge.js';
import { parseImport } from '../../import/parse-import.js';
import type { ImportPreview } from '../../import/types.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';
import { requireRepo } from './lookups.js';

function secretSink(engine: EngineInternals): SecretSink {
  const keychain = engine.keychain;
  if (!keychain) return secretFileSink(engine.dataDir);
  return {
    reference: () => ({ keychain: true as const }),
    store: (repoId, secret) => keychain.setPassword(repoId, secret),
    // The keychain port cannot delete; an entry for a repository id that is not in config.json is never read.
    discard: async () => undefined,
  };
}

async function draftOf(params: { from: 'backrest' | 'resticprofile' | 'backstay'; text: string; fileName?: string | undefined; passphrase?: string | undefined }) {
  const file = params.fileName ?? `the ${params.from} file`;
  return parseImport({
    from: params.from,
    text: params.text,
    file,
    // A file chosen in a window has no folder the engine can see; relative paths are then left to the user.
    ...(path.isAbsolute(file) ? {} : { baseDir: '/' }),
    passphrase: async () => {
      if (params.passphrase === undefined) throw new BackstayError('BAD_PARAMS', 'This export carries encrypted secrets: give its passphrase.');
      return params.passphrase;
    },
  });
}

function shown(preview: ImportPreview): ImportPreviewResult {
  return { ...preview, repos: preview.repos.map((r) => maskRepoSecrets({ env: {}, ...r })) } as ImportPreviewResult;
}

export function importMethods(engine: EngineInternals): Pick<AreaMethods<'config'>, 'config.importPreview' | 'config.importApply'> {
  const configFile = () => dataDirPaths(engine.dataDir).configFile;
  return {
    'config.importPreview': method({
      params: s.importSource,
      handler: async (params) => shown(previewImport(await draftOf(params), engine.config(), secretSink(engine), configFile()).preview),
    }),
    'config.importApply': method({
      params: s.importSource,
      handler: async (params) => {
        const draft = await draftOf(params);
        const sink = secretSink(engine);
        const merged = previewImport(draft, engine.config(), sink, configFile());
        const undo = await storeSecrets(merged, sink);
        try {
          await engine.mutateConfig((current) => {
            const again = previewImport(draft, current, sink, configFile());
            // The secrets were stored under the ids of the first look; a config changed meanwhile may rename them.
            if (JSON.stringify(again.preview.renamed) !== JSON.stringify(merged.preview.renamed)) {
              throw new BackstayError('CONFIG_CHANGED', 'The configuration changed while importing; nothing was imported. Try again.');
            }
            return again.config as never;
          });
        } catch (err) {
          await undo();
          throw err;
        }
        return shown(merged.preview);
      },
    }),
  };
}

export function passwordMethods(engine: EngineInternals): Pick<AreaMethods<'repos'>, 'repos.setPassword'> {
  return {
    'repos.setPassword': method({
      params: s.setPassword,
      handler: async ({ repoId, password }) => {
        requireRepo(engine, repoId);
        let reference: { keychain: true } | { file: string };
        if (engine.keychain) {
          await engine.keychain.setPassword(repoId, password);
          reference = { keychain: true };
        } else {
          reference = await writeSecretFile(engine.dataDir, repoId, password);
        }
        await engine.mutateConfig((c) => {
          const repo = c.repos.find((r) => r.id === repoId);
          if (!repo) throw new BackstayError('UNKNOWN_REPO', `No repository "${repoId}".`);
          repo.password = reference;
        });
        return { ok: true as const, password: reference };
      },
    }),
  };
}
