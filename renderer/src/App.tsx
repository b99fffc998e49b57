import { useEffect, useState } from 'react';
import type { BackstayClient } from './client/index.js';
import { AppProvider, selectLanguage, useApp, type AppStore } from './store/index.js';
import { Shell } from './features/shell/Shell.js';
import { createMemoryRouter, RouterProvider, RouteSync, type Router } from './router/index.js';

function DocumentLanguage() {
  const language = useApp(selectLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return null;
}

/** `router`: the page's (hash) router; without one (tests), the place is kept in memory. */
export function App({ store, client, router }: { store: AppStore; client: BackstayClient; router?: Router }) {
  const [ownRouter] = useState(() => router ?? createMemoryRouter());
  return (
    <AppProvider store={store} client={client}>
      <RouterProvider router={router ?? ownRouter}>
        <DocumentLanguage />
        <RouteSync />
        <Shell />
      </RouterProvider>
    </AppProvider>
  );
}
