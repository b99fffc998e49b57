import { lazy, Suspense, type ComponentType, type KeyboardEvent } from 'react';
import type { MessageKey } from '../../i18n/index.js';
import { selectView, useApp, VIEWS, type View } from '../../store/index.js';
import { ConnectionBanner } from '../../components/ConnectionBanner.js';
import { ErrorBoundary } from '../../components/ErrorBoundary.js';
import { useT } from '../../components/useT.js';
import { DashboardView } from '../dashboard/DashboardView.js';
import { PauseControl } from './PauseControl.js';
import { OverallStatus } from './OverallStatus.js';
import { LanguageFromSettings } from './LanguageFromSettings.js';

// The dashboard is what most glances need, so it is in the first bundle; the rest load on first visit.
const lazyView = (load: () => Promise<{ default: ComponentType }>) => lazy(load);
const VIEW_COMPONENTS: Record<View, ComponentType> = {
  dashboard: DashboardView,
  operations: lazyView(() => import('../operations/OperationsView.js').then((m) => ({ default: m.OperationsView }))),
  plans: lazyView(() => import('../plans/PlansView.js').then((m) => ({ default: m.PlansView }))),
  repos: lazyView(() => import('../repos/ReposView.js').then((m) => ({ default: m.ReposView }))),
  snapshots: lazyView(() => import('../snapshots/SnapshotsView.js').then((m) => ({ default: m.SnapshotsView }))),
  settings: lazyView(() => import('../settings/SettingsView.js').then((m) => ({ default: m.SettingsView }))),
};

export function Shell() {
  const t = useT();
  const view = useApp(selectView);
  const Current = VIEW_COMPONENTS[view];
  return (
    <div className="shell">
      <LanguageFromSettings />
      <header className="app-header">
        <h1>{t('app.title')}</h1>
        <OverallStatus />
        <div className="spacer" />
        <PauseControl />
      </header>
      <ConnectionBanner />
      <div className="body">
        <Sidebar />
        <main className="content" id="main">
          <ErrorBoundary key={view} title={t('error.view')} retryLabel={t('error.retry')}>
            <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
              <Current />
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}

function Sidebar() {
  const t = useT();
  const view = useApp(selectView);
  const setView = useApp((s) => s.setView);
  // Arrow keys move between sections, as in a desktop app's sidebar; Tab still leaves it.
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const i = VIEWS.indexOf(view);
    const next = VIEWS[(i + (e.key === 'ArrowDown' ? 1 : VIEWS.length - 1)) % VIEWS.length]!;
    setView(next);
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-view="${next}"]`)?.focus();
  };
  return (
    <nav className="sidebar" aria-label={t('nav.label')} onKeyDown={onKeyDown}>
      <ul>
        {VIEWS.map((v) => (
          <li key={v}>
            <button
              type="button"
              data-view={v}
              data-testid={`nav-${v}`}
              aria-current={v === view ? 'page' : undefined}
              onClick={() => setView(v)}
            >
              {t(`nav.${v}` as MessageKey)}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
