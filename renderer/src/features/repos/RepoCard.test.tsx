// What a repository card offers, for every health a repository can have: the everyday care in sight, rarer repairs
// under More, Unlock in sight for a locked one, and only "Create the repository here" where restic found none.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { RepoState } from '../../../../main/common/index.js';
import { AppProvider, createAppStore } from '../../store/index.js';
import { fakeClient } from '../../../test-support/fake-client.js';
import { appState } from '../../../test-support/fixtures.js';
import { ReposView } from './ReposView.js';

afterEach(cleanup);

const base: RepoState = { id: 'nas', uri: '/srv/restic', passwordKind: 'file', envKeys: [], health: 'ok', lastError: null };

function mount(repo: RepoState) {
  const client = fakeClient({
    'ops.list': () => ({ ops: [] }),
    'repos.init': () => ({ ok: true }),
    'repos.unlock': () => ({ opId: 3 }),
    'repos.stats': () => ({ opId: 4 }),
  });
  const store = createAppStore({ systemLanguage: 'en' });
  store.getState().applyState(appState({ repos: [repo] }));
  render(
    <AppProvider store={store} client={client}>
      <ReposView />
    </AppProvider>,
  );
  return { client, card: within(screen.getByTestId('repo-row-nas')) };
}

const inSight = (card: ReturnType<typeof within>) => card.queryAllByRole('button').map((b: HTMLElement) => b.textContent);
function underMore(card: ReturnType<typeof within>): (string | null)[] {
  fireEvent.click(card.getByRole('button', { name: 'More' }));
  const list = within(card.getByRole('list', { name: 'More' }));
  return list.getAllByRole('button').map((b: HTMLElement) => b.textContent);
}

describe('a repository card, by health', () => {
  it.each<[string, Partial<RepoState>, string[], string[] | null]>([
    ['ok', {}, ['Edit', 'Delete', 'Check', 'Prune…', 'More ▾'], ['Statistics', 'Unlock', 'Repair index']],
    ['never checked', { health: 'unknown' }, ['Edit', 'Delete', 'Check', 'Prune…', 'More ▾'], ['Statistics', 'Unlock', 'Repair index', 'Initialise']],
    ['locked', { health: 'locked', lastError: 'locked by pid 12', lastErrorCode: 'REPOSITORY_LOCKED' }, ['Edit', 'Delete', 'Unlock', 'Check', 'Prune…', 'More ▾'], ['Statistics', 'Repair index']],
    ['failing', { health: 'error', lastError: 'wrong password', lastErrorCode: 'WRONG_PASSWORD' }, ['Edit', 'Delete', 'Check', 'Prune…', 'More ▾'], ['Statistics', 'Unlock', 'Repair index']],
    ['not there', { health: 'error', lastError: 'no repository', lastErrorCode: 'NO_REPOSITORY' }, ['Edit', 'Delete', 'Create the repository here'], null],
  ])('%s', (_what, patch, shown, more) => {
    const { card } = mount({ ...base, ...patch });
    expect(inSight(card)).toEqual(shown);
    if (more) expect(underMore(card)).toEqual(more);
    else expect(card.queryByRole('button', { name: 'More' })).toBeNull();
  });

  it('creates a missing repository from its card', async () => {
    const { client, card } = mount({ ...base, health: 'error', lastError: 'no repository', lastErrorCode: 'NO_REPOSITORY' });
    // Nothing there yet is no failure of a repository: the badge says what it is, not "Error".
    expect(card.getByText('Not created yet').getAttribute('data-status')).toBe('missing');
    fireEvent.click(card.getByRole('button', { name: 'Create the repository here' }));
    await waitFor(() => expect(client.calls.at(-1)).toEqual({ method: 'repos.init', params: { repoId: 'nas' } }));
    expect((await card.findByRole('status')).textContent).toBe('Repository nas is ready.');
  });

  it('More runs the chosen action, closes, and gives focus back to its button; Escape closes it too', async () => {
    const { client, card } = mount(base);
    const more = card.getByRole('button', { name: 'More' });
    fireEvent.click(more);
    expect(document.activeElement?.textContent).toBe('Statistics');
    fireEvent.click(card.getByRole('button', { name: 'Statistics' }));
    await waitFor(() => expect(client.calls.at(-1)).toEqual({ method: 'repos.stats', params: { repoId: 'nas' } }));
    expect(card.queryByRole('list', { name: 'More' })).toBeNull();
    expect(document.activeElement).toBe(more);
    fireEvent.click(more);
    fireEvent.keyDown(card.getByRole('button', { name: 'Unlock' }), { key: 'Escape' });
    expect(card.queryByRole('list', { name: 'More' })).toBeNull();
    expect(more.getAttribute('aria-expanded')).toBe('false');
  });
});
