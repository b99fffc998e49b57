import { selectConnection, selectHasState, useApp } from '../store/index.js';
import { useT } from './useT.js';

/** Says why the window may be out of date: the stream broke, or the page is not signed in. */
export function ConnectionBanner() {
  const t = useT();
  const connection = useApp(selectConnection);
  const hasState = useApp(selectHasState);
  if (connection === 'connected' || (connection === 'connecting' && hasState)) return null;
  const key =
    connection === 'unauthorized'
      ? 'connection.unauthorized'
      : connection === 'reconnecting'
        ? 'connection.reconnecting'
        : 'connection.connecting';
  return (
    <div
      className={`banner banner-${connection}`}
      role={connection === 'connecting' ? 'status' : 'alert'}
      data-testid="connection-banner"
      data-connection={connection}
    >
      {t(key)}
    </div>
  );
}
