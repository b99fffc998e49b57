import { useId } from 'react';
import type { RepoLimits } from '../../../../../main/common/rpc.js';
import { useT } from '../../../components/useT.js';

/** One restic option per line ("-o", "sftp.command=ssh -p 2222" or "--pack-size=64"); blank lines are dropped. */
export function flagsOf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

const kib = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** The plain limits as typed, with the repository's time-of-day rules kept as they were saved. */
export function limitsOf(upload: string, download: string, saved: RepoLimits | undefined): RepoLimits | undefined {
  const up = kib(upload);
  const down = kib(download);
  const limits: RepoLimits = { ...(up !== undefined ? { uploadKiBs: up } : {}), ...(down !== undefined ? { downloadKiBs: down } : {}), ...(saved?.rules ? { rules: saved.rules } : {}) };
  if (Object.keys(limits).length === 0) return saved ? {} : undefined;
  return limits;
}

/** restic's own options for this repository (repos[].flags) and its bandwidth (repos[].limits). */
export function ResticOptionsFields({
  flags,
  onFlags,
  upload,
  onUpload,
  download,
  onDownload,
  rules,
}: {
  flags: string;
  onFlags: (text: string) => void;
  upload: string;
  onUpload: (text: string) => void;
  download: string;
  onDownload: (text: string) => void;
  /** How many time-of-day rules the saved limits have (kept; edited in config.json). */
  rules: number;
}) {
  const t = useT();
  const uid = useId();
  return (
    <fieldset data-testid="restic-options">
      <legend>{t('care.options.title')}</legend>
      <label>
        {t('care.options.flags')}
        <textarea className="mono" rows={2} value={flags} onChange={(e) => onFlags(e.target.value)} aria-describedby={`${uid}-flags`} />
      </label>
      <p className="hint" id={`${uid}-flags`}>
        {t('care.options.flagsHint')}
      </p>
      <label>
        {t('care.options.upload')}
        <input type="number" min={1} value={upload} onChange={(e) => onUpload(e.target.value)} />
      </label>
      <label>
        {t('care.options.download')}
        <input type="number" min={1} value={download} onChange={(e) => onDownload(e.target.value)} />
      </label>
      {rules > 0 && <p className="hint">{t('care.options.rulesKept', { n: rules })}</p>}
    </fieldset>
  );
}
