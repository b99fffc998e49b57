// A real HTTP restic backend: `rclone serve restic` on 127.0.0.1, which tests can freeze (SIGSTOP) and thaw (SIGCONT).
import { execa, type ResultPromise } from 'execa';
import net from 'node:net';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';

export interface RcloneServer {
  uri: string;
  pid: number;
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

/** A free port on 127.0.0.1 (bound, then released): for a server to listen on, or an unreachable one. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startRcloneRestic(dir: string): Promise<RcloneServer> {
  const port = await freePort();
  const child: ResultPromise = execa('rclone', ['serve', 'restic', '--addr', `127.0.0.1:${port}`, dir], {
    stdin: 'ignore',
    reject: false,
    env: { RCLONE_CONFIG: '/dev/null' },
  });
  // Bounded wait for the listener (about 10 s).
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (await canConnect(port)) break;
    if (child.exitCode !== null && child.exitCode !== undefined) throw new Error('rclone exited before listening');
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid!;
  // Once it has exited its pid may be reused: thaw and stop are then no-ops (a test may stop it before teardown).
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    uri: `rest:http://127.0.0.1:${port}/`,
    pid,
    freeze: () => process.kill(pid, 'SIGSTOP'),
    thaw: () => {
      if (running()) process.kill(pid, 'SIGCONT');
    },
    async stop() {
      try {
        if (running()) {
          process.kill(pid, 'SIGCONT');
          process.kill(pid, 'SIGKILL');
        }
      } catch {
        /* already gone */
      }
      await child;
    },
  };
}

/** Resolves when `predicate` holds, polling; rejects after timeoutMs. For conditions without an event to await. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A repository on a real HTTP backend in the workspace: `rclone serve restic` on 127.0.0.1, initialised. */
export async function serveRepositoryOverHttp(ws: { root: string; restic(args: string[], uri?: string): Promise<{ exitCode: number | undefined; stderr: string }> }): Promise<RcloneServer> {
  const backend = path.join(ws.root, 'rclone-repo');
  await mkdir(backend);
  const server = await startRcloneRestic(backend);
  const init = await ws.restic(['init'], server.uri);
  if (init.exitCode !== 0) {
    await server.stop();
    throw new Error(`restic init over rclone failed: ${init.stderr}`);
  }
  return server;
}
