import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './client/index.js';
import { connectStore, createAppStore } from './store/index.js';
import { App } from './App.js';
import './styles/app.css';

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const client = createClient(window);
const store = createAppStore({ storage: safeLocalStorage(), systemLanguage: navigator.language });
connectStore(client, store, document);

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('The page has no #root element.');
createRoot(rootElement).render(
  <StrictMode>
    <App store={store} client={client} />
  </StrictMode>,
);
