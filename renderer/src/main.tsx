import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './client/index.js';
import { connectStore, createAppStore } from './store/index.js';
import { translate } from './i18n/index.js';
import { App } from './App.js';
import { createHashRouter, routeOfTarget } from './router/index.js';
import './styles/app.css';

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const leaveQuestion = (language: Parameters<typeof translate>[0]) => translate(language, 'router.leaveUnsaved');

const client = createClient(window);
const store = createAppStore({ storage: safeLocalStorage(), systemLanguage: navigator.language });
// Created after the client, which has taken the sign-in token out of the address's hash by now.
const router = createHashRouter(window, () => window.confirm(leaveQuestion(store.getState().language)));
connectStore(client, store, document, (target) => router.navigate(routeOfTarget(target)));

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('The page has no #root element.');
createRoot(rootElement).render(
  <StrictMode>
    <App store={store} client={client} router={router} />
  </StrictMode>,
);
