import { useEffect } from 'react';
import type { BackstayClient } from './client/index.js';
import { AppProvider, selectLanguage, useApp, type AppStore } from './store/index.js';
import { Shell } from './features/shell/Shell.js';

function DocumentLanguage() {
  const language = useApp(selectLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return null;
}

export function App({ store, client }: { store: AppStore; client: BackstayClient }) {
  return (
    <AppProvider store={store} client={client}>
      <DocumentLanguage />
      <Shell />
    </AppProvider>
  );
}
