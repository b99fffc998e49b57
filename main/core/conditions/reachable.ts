// "Only when the repository's host answers": a TCP connection to the host and port the repository URI names, with a
// short timeout, so that a laptop offline for the afternoon postpones its hourly backup rather than failing it.
// Local repositories: their folder exists. Kinds whose endpoint Backstay cannot tell from the URI (rclone:, swift:,
// azure: and sftp hosts that are ~/.ssh/config aliases) are unknown, never "reachable".
import { connect } from 'node:net';
import { stat } from 'node:fs/promises';

export type RepoEndpoint = { kind: 'local'; path: string } | { kind: 'tcp'; host: string; port: number; sshAlias?: boolean } | { kind: 'unknown'; why: string };

const CONNECT_TIMEOUT_MS = 5_000;

function fromUrl(text: string, defaultPort: number): RepoEndpoint {
  try {
    const url = new URL(text);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!host) return { kind: 'unknown', why: 'no host in the repository address' };
    const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : url.protocol === 'https:' ? 443 : defaultPort;
    return { kind: 'tcp', host, port };
  } catch {
    return { kind: 'unknown', why: 'the repository address is not a URL' };
  }
}

/** Where a repository lives, from its restic URI. */
export function endpointOf(uri: string): RepoEndpoint {
  if (uri.startsWith('/')) return { kind: 'local', path: uri };
  if (uri.startsWith('local:')) return { kind: 'local', path: uri.slice('local:'.length) };
  const colon = uri.indexOf(':');
  const scheme = colon === -1 ? '' : uri.slice(0, colon);
  const rest = uri.slice(colon + 1);
  switch (scheme) {
    case 'rest':
      return fromUrl(rest, 80);
    case 's3':
      return fromUrl(/^https?:\/\//.test(rest) ? rest : `https://${rest}`, 443);
    case 'sftp': {
      if (rest.startsWith('//')) return fromUrl(`sftp:${rest}`, 22);
      // sftp:user@host:/path: the host may be an alias of ~/.ssh/config that only ssh resolves.
      const authority = rest.split(':')[0] ?? '';
      const host = authority.slice(authority.lastIndexOf('@') + 1);
      return host ? { kind: 'tcp', host, port: 22, sshAlias: true } : { kind: 'unknown', why: 'no host in the sftp address' };
    }
    case 'b2':
      return { kind: 'tcp', host: 'api.backblazeb2.com', port: 443 };
    case 'gs':
      return { kind: 'tcp', host: 'storage.googleapis.com', port: 443 };
    default:
      return { kind: 'unknown', why: `Backstay cannot tell where a "${scheme || uri}" repository lives` };
  }
}

/** Whether a TCP connection to host:port opens within `timeoutMs`. A name that does not resolve is unreachable,
 * except for an sftp host that may be an ssh alias (then unknown). */
export function tcpAnswers(endpoint: { host: string; port: number; sshAlias?: boolean }, timeoutMs = CONNECT_TIMEOUT_MS): Promise<boolean | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    const done = (answer: boolean | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref();
    socket.once('connect', () => done(true));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ENOTFOUND' && endpoint.sshAlias ? null : false));
  });
}

export async function repoReachable(uri: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<boolean | null> {
  const endpoint = endpointOf(uri);
  if (endpoint.kind === 'unknown') return null;
  if (endpoint.kind === 'local') return pathExists(endpoint.path);
  return tcpAnswers(endpoint, timeoutMs);
}

export async function pathExists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
