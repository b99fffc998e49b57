import { lazy, Suspense, type ComponentType, type KeyboardEvent, type MouseEvent } from 'react';
import type { MessageKey } from '../../i18n/index.js';
import { selectView, useApp, VIEWS, type View } from '../../store/index.js';
import { ConnectionBanner } from '../../components/ConnectionBanner.js';
import { ErrorBoundary } from '../../components/ErrorBoundary.js';
import { Skeleton } from '../../components/ui/Skeleton.js';
import { useT } from '../../components/useT.js';
import { DashboardView } from '../dashboard/DashboardView.js';
import { PauseControl } from './PauseControl.js';
import { SpeedControl } from './SpeedControl.js';
import { OverallStatus } from './OverallStatus.js';
import { LanguageFromSettings } from './LanguageFromSettings.js';
import { ThemeFromSettings } from './ThemeFromSettings.js';
import { PlanAnnouncer } from './PlanAnnouncer.js';
import { CalendarClock, Camera, Circle, Database, History, LayoutDashboard, ListChecks, Settings, Sparkles, type LucideIcon } from '../../components/ui/icons.js';

/** One glyph per section; a section added later without one gets a plain dot rather than nothing. */
const VIEW_ICONS: Partial<Record<string, LucideIcon>> = {
  dashboard: LayoutDashboard,
  operations: ListChecks,
  plans: CalendarClock,
  repos: Database,
  snapshots: Camera,
  history: History,
  setup: Sparkles,
  settings: Settings,
};

// The dashboard is what most glances need, so it is in the first bundle; the rest load on first visit.
const lazyView = (load: () => Promise<{ default: ComponentType }>) => lazy(load);
const VIEW_COMPONENTS: Record<View, ComponentType> = {
  dashboard: DashboardView,
  operations: lazyView(() => import('../operations/OperationsView.js').then((m) => ({ default: m.OperationsView }))),
  plans: lazyView(() => import('../plans/PlansView.js').then((m) => ({ default: m.PlansView }))),
  repos: lazyView(() => import('../repos/ReposView.js').then((m) => ({ default: m.ReposView }))),
  snapshots: lazyView(() => import('../snapshots/SnapshotsView.js').then((m) => ({ default: m.SnapshotsView }))),
  settings: lazyView(() => import('../settings/SettingsView.js').then((m) => ({ default: m.SettingsView }))),
  setup: lazyView(() => import('../setup/SetupView.js').then((m) => ({ default: m.SetupView }))),
};

/** Focus moves to the view without touching the URL's hash (which may carry the route or the token). */
function skipToMain(e: MouseEvent<HTMLAnchorElement>) {
  e.preventDefault();
  document.getElementById('main')?.focus();
}

export function Shell() {
  const t = useT();
  const view = useApp(selectView);
  const Current = VIEW_COMPONENTS[view];
  return (
    <div className="shell">
      <LanguageFromSettings />
      <ThemeFromSettings />
      {/* The first Tab stop: past the header and the sections, straight to the view. */}
      <a className="skip-link" href="#main" data-testid="skip-link" onClick={skipToMain}>
        {t('shell.skip')}
      </a>
      <header className="app-header">
        <h1>{t('app.title')}</h1>
        <OverallStatus />
        <div className="spacer" />
        <SpeedControl />
        <PauseControl />
      </header>
      <ConnectionBanner />
      <div className="body">
        <Sidebar />
        <main className="content" id="main" tabIndex={-1}>
          <ErrorBoundary key={view} title={t('error.view')} retryLabel={t('error.retry')}>
            <Suspense fallback={<Skeleton lines={6} label={t('common.loading')} />}>
              <Current />
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
      <PlanAnnouncer />
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
        {VIEWS.map((v) => {
          const Icon = VIEW_ICONS[v] ?? Circle;
          return (
          <li key={v}>
            <button
              type="button"
              data-view={v}
              data-testid={`nav-${v}`}
              aria-current={v === view ? 'page' : undefined}
              onClick={() => setView(v)}
              title={t(`nav.${v}` as MessageKey)}
            >
              <Icon className="icon" size={16} aria-hidden="true" />
              <span className="nav-text">{t(`nav.${v}` as MessageKey)}</span>
            </button>
          </li>
          );
        })}
      </ul>
    </nav>
  );
}
