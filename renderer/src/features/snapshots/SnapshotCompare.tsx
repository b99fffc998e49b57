import { useId, useState } from 'react';
import type { SnapshotInfo } from '../../../../main/common/rpc.js';
import { selectLanguage, useActions, useApp } from '../../store/index.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { DiffResult } from './SnapshotDiff.js';
import { planOf, type SnapshotDiffResult } from './snapshot-info.js';

/** "14 Nov 10:00 · aaaa1111 · home": enough to tell snapshots apart in a list of them. */
function optionLabel(s: SnapshotInfo, language: string): string {
  const when = new Date(s.time).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }); // 24-hour, as everywhere else
  const plan = planOf(s);
  return [when, s.shortId, plan ?? s.hostname].join(' · ');
}

/** The older of the two first, so "added" always means "added since the older one", whichever way they were picked. */
function olderFirst(a: SnapshotInfo, b: SnapshotInfo): [SnapshotInfo, SnapshotInfo] {
  return Date.parse(a.time) <= Date.parse(b.time) ? [a, b] : [b, a];
}

/** Compare any two snapshots of the repository (restic diff): pick two, see what was added, removed and changed. */
export function SnapshotCompare({ repoId, snapshots }: { repoId: string; snapshots: SnapshotInfo[] }) {
  const t = useT();
  const ids = useId();
  const language = useApp(selectLanguage);
  const { snapshots: actions } = useActions();
  const action = useAction();
  // Newest first in the list: by default the newest against the one before it. A choice is kept only while its
  // snapshot is in the list; otherwise the default is read from the list as it is now (it may have been empty or
  // older when this panel first rendered).
  const [picked, setPicked] = useState<{ first: string | null; second: string | null }>({ first: null, second: null });
  const [shown, setShown] = useState<{ diff: SnapshotDiffResult; older: SnapshotInfo; newer: SnapshotInfo } | null>(null);
  const inList = (id: string | null) => (id !== null && snapshots.some((s) => s.id === id) ? id : null);
  const first = inList(picked.first) ?? snapshots[1]?.id ?? '';
  const second = inList(picked.second) ?? snapshots[0]?.id ?? '';
  const setFirst = (id: string) => setPicked((p) => ({ ...p, first: id }));
  const setSecond = (id: string) => setPicked((p) => ({ ...p, second: id }));
  const a = snapshots.find((s) => s.id === first);
  const b = snapshots.find((s) => s.id === second);
  const ready = a && b && a.id !== b.id;

  const compare = () => {
    if (!a || !b) return;
    const [older, newer] = olderFirst(a, b);
    void action.run(async () => {
      const diff: SnapshotDiffResult = await actions.diff(repoId, older.id, newer.id);
      setShown({ diff, older, newer });
    });
  };

  const picker = (label: string, value: string, onChange: (id: string) => void, testId: string) => (
    <label>
      {label}{' '}
      <select
        value={value}
        data-testid={testId}
        onChange={(e) => {
          setShown(null);
          onChange(e.target.value);
        }}
      >
        {snapshots.map((s) => (
          <option key={s.id} value={s.id}>
            {optionLabel(s, language)}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="panel snapshot-compare" aria-labelledby={`${ids}-title`} data-testid="snapshot-compare">
      <h3 id={`${ids}-title`}>{t('care.compare.title')}</h3>
      <div className="form-row">
        {picker(t('care.compare.first'), first, setFirst, 'compare-first')}
        {picker(t('care.compare.second'), second, setSecond, 'compare-second')}
        <button type="button" onClick={compare} disabled={!ready || action.busy}>
          {action.busy ? t('snapshots.diff.comparing') : t('care.compare.button')}
        </button>
      </div>
      {a && b && a.id === b.id && <p className="hint">{t('care.compare.same')}</p>}
      {action.error && (
        <p className="feedback-error" role="alert">
          {action.error}
        </p>
      )}
      {shown && (
        <DiffResult
          diff={shown.diff}
          titleId={`${ids}-diff`}
          title={t('care.compare.result', { older: shown.older.shortId, newer: shown.newer.shortId })}
          onClose={() => setShown(null)}
        />
      )}
    </section>
  );
}
