// The guided first run (#/setup): what to back up, where, when; then the first backup starts and the window goes
// to the dashboard, where its progress shows. Leaving half-way asks first (the router's leave guard).
import { useEffect, useRef, useState } from 'react';
import type { MessageKey } from '../../i18n/index.js';
import { selectPlanIds, selectRepoIds, useAppShallow } from '../../store/index.js';
import { useT } from '../../components/useT.js';
import { useLeaveGuard, useNavigate } from '../../router/index.js';
import { FolderStep } from './FolderStep.js';
import { RepoStep } from './RepoStep.js';
import { ScheduleStep } from './ScheduleStep.js';
import { suggestPlanId } from './presets.js';
import './setup.css';

const STEPS = ['folders', 'repo', 'schedule'] as const;
type Step = (typeof STEPS)[number];

export function SetupView() {
  const t = useT();
  const navigate = useNavigate();
  const guard = useLeaveGuard();
  const repoIds = useAppShallow(selectRepoIds);
  const planIds = useAppShallow(selectPlanIds);
  const [step, setStep] = useState<Step>('folders');
  const [folders, setFolders] = useState<string[]>([]);
  const [repoId, setRepoId] = useState<string | null>(null);
  // Repositories saved by this run are not offered as ones "set up already".
  const [made, setMade] = useState<string[]>([]);
  const existing = repoIds.filter((id) => !made.includes(id));
  const root = useRef<HTMLElement>(null);
  const moved = useRef(false);
  // Each step's heading takes the focus, so a keyboard or screen reader user starts at its top.
  useEffect(() => {
    if (!moved.current) return;
    root.current?.querySelector<HTMLElement>('[data-step-title]')?.focus();
  }, [step]);
  const go = (next: Step) => {
    moved.current = true;
    setStep(next);
  };

  return (
    <section className="view setup" aria-labelledby="setup-title" data-testid="setup-view" data-step={step} ref={root}>
      <h2 id="setup-title">{t('setup.title')}</h2>
      <p className="hint">{t('setup.intro')}</p>
      <ol className="setup-steps" aria-label={t('setup.steps')}>
        {STEPS.map((s, i) => (
          <li key={s} aria-current={s === step ? 'step' : undefined} className={STEPS.indexOf(step) > i ? 'done' : undefined}>
            {i + 1}. {t(`setup.step.${s}` as MessageKey)}
          </li>
        ))}
      </ol>
      {step === 'folders' && (
        <FolderStep
          folders={folders}
          onChange={(f) => {
            guard.markDirty();
            setFolders(f);
          }}
          onNext={() => go('repo')}
        />
      )}
      {step === 'repo' && (
        <RepoStep
          takenIds={repoIds}
          existing={existing}
          onSaved={(id) => setMade((m) => (m.includes(id) ? m : [...m, id]))}
          onEdit={guard.markDirty}
          onBack={() => go('folders')}
          onConnected={(id) => {
            setRepoId(id);
            go('schedule');
          }}
        />
      )}
      {step === 'schedule' && repoId && (
        <ScheduleStep
          repoId={repoId}
          folders={folders}
          suggestedId={suggestPlanId(folders, planIds)}
          onEdit={guard.markDirty}
          onBack={() => go('repo')}
          onStarted={() => {
            guard.markClean();
            navigate({ view: 'dashboard' });
          }}
        />
      )}
    </section>
  );
}
