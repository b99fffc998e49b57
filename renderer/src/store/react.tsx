// React access to the store and the client. Both come from context so tests can hand in their own.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { BackstayClient } from '../client/index.js';
import type { AppStore } from './store.js';
import type { AppStoreState } from './types.js';

interface AppContextValue {
  store: AppStore;
  client: BackstayClient;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider({ store, client, children }: AppContextValue & { children: ReactNode }) {
  return <AppContext.Provider value={{ store, client }}>{children}</AppContext.Provider>;
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

export function useClient(): BackstayClient {
  return useAppContext().client;
}
