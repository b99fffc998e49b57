// Which restic the operations run, found once (settings.resticBinary, else PATH) and looked for again when the
// setting changes or the last lookup failed. The state shows what was found or why nothing was.
import { BackstayError } from '../../common/errors.js';
import type { ResticInfo } from '../../common/index.js';
import { findResticBinary, readResticVersion } from '../restic/binary.js';
import type { ResticBinaryInfo } from './orchestrator.js';

export interface ResticResolver {
  /** The restic binary and its version; throws BackstayError (RESTIC_NOT_FOUND, RESTIC_TOO_OLD). */
  resolve(): Promise<ResticBinaryInfo>;
  /** settings.resticBinary is now `configured`: if it changed, the next operation runs the program now configured. */
  configure(configured: string | null): void;
}

export function createResticResolver(opts: { configured: string | null; report(info: ResticInfo): void }): ResticResolver {
  let configured = opts.configured;
  let resticInfo: Promise<ResticBinaryInfo> | null = null;
  const resolve = (): Promise<ResticBinaryInfo> => {
    if (resticInfo) return resticInfo;
    const lookup: Promise<ResticBinaryInfo> = (async () => {
      const binary = findResticBinary({ configured, env: process.env });
      const version = await readResticVersion(binary);
      return { binary, version };
    })();
    resticInfo = lookup;
    // Only the latest lookup speaks: one started before settings.resticBinary changed must not overwrite the new one.
    lookup.then(
      ({ binary, version }) => {
        if (resticInfo === lookup) opts.report({ path: binary, version: version.raw, error: null, errorCode: null });
      },
      (err: Error) => {
        if (resticInfo !== lookup) return;
        const errorCode = err instanceof BackstayError ? err.code : 'RESTIC_NOT_FOUND';
        opts.report({ path: null, version: null, error: err.message, errorCode });
        resticInfo = null; // try again next time: the user may install restic meanwhile
      },
    );
    return lookup;
  };
  return {
    resolve,
    configure(next) {
      if (next === configured) return;
      configured = next;
      resticInfo = null;
      void resolve().catch(() => undefined);
    },
  };
}
