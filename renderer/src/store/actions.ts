// Everything a view asks of the host, one group per area. Views call these (through useActions) and read the
// store through selectors; only the store talks to the client module.
import type { BackstayClient } from '../client/index.js';
import { createHistoryActions } from './history-actions.js';
import { createOpsActions } from './ops-actions.js';
import { createPlansActions } from './plans-actions.js';
import { createReposActions } from './repos-actions.js';
import { createRestoreActions } from './restore-actions.js';
import { createScheduleActions, createSettingsActions } from './settings-actions.js';
import { createSnapshotsActions } from './snapshots-actions.js';
import { createSetupActions } from './setup-actions.js';
import type { AppStore } from './store.js';

export function createActions(client: BackstayClient, store: AppStore) {
  return {
    ops: createOpsActions(client, store),
    plans: createPlansActions(client),
    repos: createReposActions(client),
    snapshots: createSnapshotsActions(client),
    history: createHistoryActions(client),
    restore: createRestoreActions(client),
    settings: createSettingsActions(client),
    schedule: createScheduleActions(client),
    setup: createSetupActions(client),
  };
}

export type AppActions = ReturnType<typeof createActions>;

/** What this window's host can do beyond the common set (the desktop app's keychain and login item). */
export interface HostCapabilities {
  canUseKeychain: boolean;
  canStartAtLogin: boolean;
}
