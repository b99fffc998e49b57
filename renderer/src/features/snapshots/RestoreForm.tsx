import { useId, useState, type FormEvent } from 'react';
import type { SnapshotInfo } from '../../../../main/common/rpc.js';
import type { MessageKey } from '../../i18n/index.js';
import type { RestoreOverwriteMode } from '../../../../main/common/index.js';
import { selectRestic, toRpcError, useActions, useApp } from '../../store/index.js';
import { hasOverwriteChoice, OVERWRITE_MODES } from './restore-choices.js';
import { useT } from '../../components/useT.js';
import { isAbsolutePath } from './snapshot-info.js';
import { RestoreOutcome } from './RestoreOutcome.js';

/** restore.start refusals a person can act on, each with a sentence in their language; the host's words follow. */
const KNOWN_ERRORS = new Set(['TARGET_INVALID', 'PATH_NOT_IN_SNAPSHOT', 'UNKNOWN_SNAPSHOT']);

type Problem = { code: string; detail: string | null };

/**
 * Where to restore, what, and whether to replace what is there. Overwrite is off until the user ticks it, and the
 * host then never writes over an existing non-empty folder (it makes a new subfolder).
 */
export function RestoreForm({
  repoId,
  snapshot,
  picked,
  onUnpick,
}: {
  repoId: string;
  snapshot: SnapshotInfo;
  picked: ReadonlySet<string>;
  onUnpick: (path: string) => void;
}) {
  const t = useT();
  const { restore } = useActions();
  const ids = useId();
  const [target, setTarget] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  // Back where the files came from, or into a folder of the user's choice (the default: nothing is replaced).
  const [original, setOriginal] = useState(false);
  const [flatten, setFlatten] = useState(false);
  const choice = hasOverwriteChoice(useApp(selectRestic)?.version);
  const [mode, setMode] = useState<RestoreOverwriteMode>('if-changed');
  // Ticking items means "restore these"; the whole snapshot only when chosen again or nothing is ticked.
  const [wholeChosen, setWholeChosen] = useState(false);
  const whole = wholeChosen || picked.size === 0;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [startedOp, setStartedOp] = useState<number | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const folder = original ? '/' : target.trim();
    setStartedOp(null);
    if (!folder) return setProblem({ code: 'TARGET_MISSING', detail: null });
    if (!isAbsolutePath(folder)) return setProblem({ code: 'TARGET_RELATIVE', detail: null });
    const replacing = original || overwrite;
    setProblem(null);
    setBusy(true);
    try {
      const r = await restore.start({
        repoId,
        snapshotId: snapshot.id,
        target: folder,
        overwrite: original ? true : overwrite,
        ...(whole ? {} : { paths: [...picked] }),
        ...(original ? { originalLocation: true } : {}),
        ...(flatten && !original && !whole ? { flatten: true } : {}),
        ...(choice && replacing ? { overwriteMode: mode } : {}),
      });
      setStartedOp(r.opId);
    } catch (err) {
      const rpc = toRpcError(err);
      setProblem({ code: rpc.code, detail: rpc.message });
    } finally {
      setBusy(false);
    }
  };

  const targetProblem = problem && (problem.code.startsWith('TARGET_') ? problem : null);
  const otherProblem = problem && !targetProblem ? problem : null;
  const describe = (p: Problem): string => {
    if (p.code === 'TARGET_MISSING') return t('snapshots.restore.targetMissing');
    if (p.code === 'TARGET_RELATIVE') return t('snapshots.restore.targetRelative', { path: target.trim() });
    return t((KNOWN_ERRORS.has(p.code) ? `snapshots.restore.error.${p.code}` : 'snapshots.restore.error.other') as MessageKey);
  };

  return (
    <form className="form restore-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${ids}-title`} noValidate>
      <h4 id={`${ids}-title`}>{t('snapshots.restore.title', { id: snapshot.shortId })}</h4>
      <fieldset>
        <legend>{t('snapshots.restore.what')}</legend>
        <label className="inline">
          <input type="radio" name={`${ids}-scope`} checked={whole} onChange={() => setWholeChosen(true)} />
          {t('snapshots.restore.wholeOption')}
        </label>
        <label className="inline">
          <input
            type="radio"
            name={`${ids}-scope`}
            checked={!whole}
            disabled={picked.size === 0}
            onChange={() => setWholeChosen(false)}
          />
          {t('snapshots.restore.selectedOption', { n: picked.size })}
        </label>
        {picked.size === 0 ? (
          <p className="hint">{t('snapshots.restore.noneSelected')}</p>
        ) : (
          <ul className="picked-list">
            {[...picked].map((p) => (
              <li key={p}>
                <span className="mono">{p}</span>{' '}
                <button type="button" className="link" onClick={() => onUnpick(p)} aria-label={t('snapshots.restore.unpick', { path: p })}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('care.restore.where')}</legend>
        <label className="inline">
          <input type="radio" name={`${ids}-where`} checked={!original} onChange={() => setOriginal(false)} />
          {t('care.restore.intoFolder')}
        </label>
        <label className="inline">
          <input type="radio" name={`${ids}-where`} checked={original} onChange={() => setOriginal(true)} />
          {t('care.restore.original')}
        </label>
      </fieldset>
      {original ? (
        <OverwriteChoice choice={choice} mode={mode} onMode={setMode} groupName={`${ids}-mode`} />
      ) : (
        <>
          <label>
            {t('snapshots.restore.target')}
            <input
              className="mono"
              value={target}
              placeholder="/home/me/restored"
              onChange={(e) => setTarget(e.target.value)}
              aria-invalid={targetProblem ? true : undefined}
              aria-describedby={`${ids}-target-hint`}
            />
          </label>
          <p className="hint" id={`${ids}-target-hint`}>
            {t('snapshots.restore.targetHint')}
          </p>
          {targetProblem && <ProblemText text={describe(targetProblem)} detail={targetProblem.detail} />}
          <label className="inline">
            <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
            {t('snapshots.restore.overwrite')}
          </label>
          {overwrite && (
            <p className="notice notice-warning" role="note">
              {t('snapshots.restore.overwriteWarning')}
            </p>
          )}
          {overwrite && <OverwriteChoice choice={choice} mode={mode} onMode={setMode} groupName={`${ids}-mode`} />}
          {!whole && (
            <label className="inline">
              <input type="checkbox" checked={flatten} onChange={(e) => setFlatten(e.target.checked)} />
              {t('care.restore.flatten')}
            </label>
          )}
        </>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('snapshots.restore.start')}
        </button>
      </div>
      {otherProblem && <ProblemText text={describe(otherProblem)} detail={otherProblem.detail} />}
      {startedOp !== null && <RestoreOutcome key={startedOp} opId={startedOp} />}
    </form>
  );
}

/** restic 0.17+: what to do with a file that exists. Older restic: the plain fact that it is replaced. */
function OverwriteChoice({
  choice,
  mode,
  onMode,
  groupName,
}: {
  choice: boolean;
  mode: RestoreOverwriteMode;
  onMode: (mode: RestoreOverwriteMode) => void;
  groupName: string;
}) {
  const t = useT();
  if (!choice) {
    return (
      <p className="notice notice-warning" role="note" data-testid="restore-always-overwrites">
        {t('care.restore.alwaysOverwrites')}
      </p>
    );
  }
  return (
    <fieldset data-testid="restore-overwrite-mode">
      <legend>{t('care.restore.existing')}</legend>
      {OVERWRITE_MODES.map((m) => (
        <label key={m} className="inline">
          <input type="radio" name={groupName} checked={mode === m} onChange={() => onMode(m)} />
          {t(`care.restore.mode.${m}` as MessageKey)}
        </label>
      ))}
    </fieldset>
  );
}

function ProblemText({ text, detail }: { text: string; detail: string | null }) {
  return (
    <p className="feedback-error" role="alert">
      <strong>{text}</strong>
      {detail && detail !== text ? <> {detail}</> : null}
    </p>
  );
}
