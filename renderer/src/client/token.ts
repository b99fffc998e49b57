// The browser page is signed in by `#token=...` in the URL `backstay serve` printed. The token is kept for this
// tab only (sessionStorage) and taken out of the address bar so it is not bookmarked, shared or kept in history.
const STORAGE_KEY = 'backstay.token';

export interface TokenEnv {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

export function takeTokenFromUrl(env: TokenEnv): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(env.location.hash);
  if (match) {
    const token = decodeURIComponent(match[1]!);
    try {
      env.sessionStorage.setItem(STORAGE_KEY, token);
    } catch {
      // Storage can be disabled; the token still works until the tab reloads.
    }
    env.history.replaceState(env.history.state, '', env.location.pathname + env.location.search);
    return token;
  }
  try {
    return env.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
