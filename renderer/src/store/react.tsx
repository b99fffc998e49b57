// React access to the store and to the actions. Both come from context so tests can hand in their own store and
// client; the client itself stays out of reach of the views.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { BackstayClient } from '../client/index.js';
import { createActions, type AppActions, type HostCapabilities } from './actions.js';
import type { AppStore } from './store.js';
import type { AppStoreState } from './types.js';

interface AppContextValue {
  store: AppStore;
  actions: AppActions;
  host: HostCapabilities;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider({ store, client, children }: { store: AppStore; client: BackstayClient; children: ReactNode }) {
  const value = useMemo(
    () => ({ store, actions: createActions(client, store), host: { canUseKeychain: client.canUseKeychain, canStartAtLogin: client.canStartAtLogin } }),
    [store, client],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

function useAppContext(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('AppProvider is missing above this component.');
  return ctx;
}

/** Reads the store through a selector that returns a stable value (a field, or an object from the snapshot). */
export function useApp<T>(selector: (s: AppStoreState) => T): T {
  return useStore(useAppContext().store, selector);
}

/** For selectors that build a new array or object each call: re-renders only when its members change. */
export function useAppShallow<T>(selector: (s: AppStoreState) => T): T {
  return useStore(useAppContext().store, useShallow(selector));
}

export function useAppStore(): AppStore {
  return useAppContext().store;
}

/** What a view can ask of the host; the same object for the life of the provider (safe in effect deps). */
export function useActions(): AppActions {
  return useAppContext().actions;
}

export function useHostCapabilities(): HostCapabilities {
  return useAppContext().host;
}
