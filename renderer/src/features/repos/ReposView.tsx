import { useEffect, useState } from 'react';
import { HostError } from '../../components/HostError.js';
import type { Operation, RepoState } from '../../../../main/common/index.js';
import type { RepoInput } from '../../../../main/common/rpc.js';
import type { MessageKey } from '../../i18n/index.js';
import { selectLanguage, selectRepos, selectRunningKey, useActions, useApp, useHostCapabilities, type RepoOpMethod } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { ClockTime } from '../../components/Time.js';
import { useAction, useLoad } from '../../components/useAction.js';
import { formatSummaryValue } from '../../format/format.js';
import { isLive, opSummaryOf } from '../../model.js';
import { useT } from '../../components/useT.js';
import { RepoForm } from './RepoForm.js';
import { useNavigate, useRoute } from '../../router/index.js';
import { ConfirmDelete } from '../../components/ConfirmDelete.js';
import { CheckControl } from './care/CheckControl.js';
import { PrunePanel } from './care/PrunePanel.js';
import { ActionMenu, type MenuAction } from '../../components/ui/ActionMenu.js';

type Editing = { mode: 'new' } | { mode: 'edit'; repo: RepoInput } | null;

export function ReposView() {
  const t = useT();
  const actions = useActions();
  const host = useHostCapabilities();
  const repos = useApp(selectRepos);
  const loadForEdit = useAction();
  // The form shown is the address's: #/repos/new, #/repos/nas/edit (#/repos/nas brings that card into view).
  const route = useRoute();
  const navigate = useNavigate();
  const [loaded, setLoaded] = useState<RepoInput | null>(null);
  const creating = route.view === 'repos' && 'create' in route;
  const routeRepoId = route.view === 'repos' && !('create' in route) ? route.repoId : undefined;
  const editId = route.view === 'repos' && !('create' in route) && route.edit ? route.repoId : undefined;
  const editing: Editing = creating ? { mode: 'new' } : editId && loaded?.id === editId ? { mode: 'edit', repo: loaded } : null;
  const setEditing = (next: Editing) => {
    if (next === null) setLoaded(null);
    navigate(next === null ? { view: 'repos' } : next.mode === 'new' ? { view: 'repos', create: true } : { view: 'repos', repoId: next.repo.id, edit: true });
  };
  const { run: runLoad } = loadForEdit;
  const { repos: repoActions } = actions;
  // Opened at an edit address (a reload, Back): load what the form starts from.
  useEffect(() => {
    if (!editId || loaded?.id === editId) return;
    void runLoad(() => repoActions.loadForEdit(editId)).then((repo) => repo && setLoaded(repo));
  }, [editId, loaded?.id, runLoad, repoActions]);
  useEffect(() => {
    if (routeRepoId && !editId) document.querySelector(`[data-testid="repo-row-${routeRepoId}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [routeRepoId, editId]);

  const edit = async (id: string) => {
    const repo = await loadForEdit.run(() => actions.repos.loadForEdit(id));
    if (repo) {
      setLoaded(repo);
      setEditing({ mode: 'edit', repo });
    }
  };

  return (
    <section className="view" aria-labelledby="repos-title">
      <div className="view-head">
        <h2 id="repos-title">{t('repos.title')}</h2>
        <button type="button" className="primary" onClick={() => setEditing({ mode: 'new' })}>
          {t('repos.add')}
        </button>
      </div>
      <Feedback state={loadForEdit} />
      {editing && (
        <RepoForm
          key={editing.mode === 'edit' ? editing.repo.id : 'new'}
          initial={editing.mode === 'edit' ? editing.repo : null}
          canUseKeychain={host.canUseKeychain}
          onDone={() => setEditing(null)}
        />
      )}
      {repos.length === 0 && !editing ? (
        <div className="empty">
          <p>{t('repos.empty')}</p>
          <button type="button" className="primary" onClick={() => setEditing({ mode: 'new' })}>
            {t('repos.add')}
          </button>
        </div>
      ) : (
        <ul className="card-list">
          {repos.map((repo) => (
            <RepoCard key={repo.id} repo={repo} onEdit={() => void edit(repo.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

const MORE_ACTIONS: { method: RepoOpMethod; label: MessageKey }[] = [
  { method: 'repos.stats', label: 'repos.action.stats' },
  { method: 'repos.unlock', label: 'repos.action.unlock' },
  { method: 'repos.repairIndex', label: 'repos.action.repairIndex' },
];

/**
 * One repository: where it is and how it is, then what can be done to it. The everyday care (Check, Prune) is in
 * sight; the rarer repairs are under "More". Where restic found no repository, creating one is the only thing
 * offered: checking or pruning nothing would only fail again.
 */
function RepoCard({ repo, onEdit }: { repo: RepoState; onEdit: () => void }) {
  const t = useT();
  const { repos } = useActions();
  const action = useAction();
  const [pruneOpen, setPruneOpen] = useState(false);
  const nameId = `repo-name-${repo.id}`;
  const missing = repo.lastErrorCode === 'NO_REPOSITORY';
  const init = () => void action.run(() => repos.init(repo.id), () => t('repos.initDone', { id: repo.id }));
  // Initialise only where it can be what is wanted: never on a repository restic has already opened.
  // A locked repository's way out is in sight, not under More.
  const locked = repo.health === 'locked';
  const start = (method: RepoOpMethod) => void action.run(() => repos.start(method, repo.id), (r) => t('common.started', { id: r.opId }));
  const more: MenuAction[] = [
    ...MORE_ACTIONS.filter((a) => !(locked && a.method === 'repos.unlock')).map((a) => ({
      key: a.method,
      label: t(a.label),
      disabled: action.busy,
      onSelect: () => start(a.method),
    })),
    ...(repo.health === 'unknown' && !missing ? [{ key: 'init', label: t('repos.action.init'), disabled: action.busy, onSelect: init }] : []),
  ];
  return (
    <li className="card repo-card" data-testid={`repo-row-${repo.id}`} aria-labelledby={nameId}>
      <div className="card-head">
        <h3 id={nameId}>{repo.id}</h3>
        {/* Nothing at the location yet is no failure of a repository: there is none to fail. */}
        <span className={`badge health-${missing ? 'unknown' : repo.health}`} data-status={missing ? 'missing' : repo.health}>
          {t(missing ? 'repos.health.missing' : (`repos.health.${repo.health}` as MessageKey))}
        </span>
        <div className="card-head-actions" role="group" aria-label={t('repos.manageFor', { id: repo.id })}>
          <button type="button" onClick={onEdit}>
            {t('common.edit')}
          </button>
          <ConfirmDelete question={t('repos.confirmDelete', { id: repo.id })} onConfirm={() => void action.run(() => repos.remove(repo.id))} />
        </div>
      </div>
      <p className="mono">{repo.uri}</p>
      <p className="muted">
        {t('repos.password.kind', { kind: t(`repos.form.password.${repo.passwordKind}` as MessageKey) })}
        {repo.envKeys.length > 0 && ` · ${t('repos.envKeys', { keys: repo.envKeys.join(', ') })}`}
      </p>
      {repo.lastError && <HostError className={missing ? 'muted' : 'feedback-error'} code={repo.lastErrorCode} message={repo.lastError} />}
      {missing ? (
        <div className="row-actions" data-testid={`repo-missing-${repo.id}`}>
          <button type="button" className="primary" disabled={action.busy} onClick={init}>
            {t('repos.action.create')}
          </button>
        </div>
      ) : (
        <>
          <RepoStats repoId={repo.id} />
          <div className="row-actions repo-care-actions" role="group" aria-label={t('repos.actionsFor', { id: repo.id })}>
            {locked && (
              <button type="button" className="primary" disabled={action.busy} onClick={() => start('repos.unlock')}>
                {t('repos.action.unlock')}
              </button>
            )}
            <CheckControl repoId={repo.id} busy={action.busy} />
            <button type="button" onClick={() => setPruneOpen(true)} aria-expanded={pruneOpen}>
              {t('care.prune.open')}
            </button>
            <ActionMenu label={t('repos.action.more')} actions={more} testId={`repo-more-${repo.id}`} />
          </div>
        </>
      )}
      <Feedback state={action} />
      {pruneOpen && !missing && <PrunePanel repoId={repo.id} onClose={() => setPruneOpen(false)} />}
    </li>
  );
}

/** How many recent statistics runs to look through for the last one that succeeded. */
const STATS_HISTORY = 20;

/** The figures of the latest statistics run that succeeded, and which run is newer than it (live or failed). */
export function repoStatsOf(ops: Operation[]): { measured: Operation | null; latest: Operation | null } {
  return { latest: ops[0] ?? null, measured: ops.find((o) => o.status === 'success' && o.summary) ?? null };
}

/**
 * Size and snapshot count on the card, from the repository's last successful Statistics run (restic stats
 * --mode raw-data), formatted as a person reads them; "Measuring..." while one runs, its failure if the last failed.
 */
function RepoStats({ repoId }: { repoId: string }) {
  const t = useT();
  const { repos } = useActions();
  const language = useApp(selectLanguage);
  // A statistics run starting or ending changes this key: the card then re-reads its figures.
  const runningKey = useApp(selectRunningKey);
  const { data, error } = useLoad(() => repos.recentStats(repoId, STATS_HISTORY), [repos, repoId, runningKey]);
  if (error || !data) return null; // the figures are a nicety: the card stays usable without them
  const { latest, measured } = repoStatsOf(data.ops);
  const summary = measured ? opSummaryOf(measured, 'stats') : null;
  return (
    <div className="repo-stats-block" data-testid={`repo-stats-${repoId}`}>
      {summary ? (
        <dl className="repo-stats" aria-label={t('repos.stats.label', { id: repoId })}>
          <div>
            <dt>{t('repos.stats.size')}</dt>
            <dd data-testid={`repo-size-${repoId}`}>{formatSummaryValue('totalSize', summary.totalSize, t, language)}</dd>
          </div>
          <div>
            <dt>{t('repos.stats.snapshots')}</dt>
            <dd data-testid={`repo-snapshots-${repoId}`}>{formatSummaryValue('snapshotsCount', summary.snapshotsCount, t, language)}</dd>
          </div>
          <div>
            <dt>{t('repos.stats.measured')}</dt>
            <dd>
              <ClockTime iso={measured!.endedAt} />
            </dd>
          </div>
        </dl>
      ) : (
        !latest && <p className="muted">{t('repos.stats.none')}</p>
      )}
      {latest && isLive(latest.status) && <p className="muted">{t('repos.stats.measuring')}</p>}
      {latest && latest !== measured && latest.status === 'error' && (
        <p className="feedback-error">{t('repos.stats.failed', { message: latest.error?.message ?? '' })}</p>
      )}
    </div>
  );
}
