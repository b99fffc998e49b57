// Whether the connection is metered, from NetworkManager: `nmcli -t -f GENERAL.STATE,GENERAL.METERED device show`
// prints, per device, "GENERAL.STATE:100 (connected)" and "GENERAL.METERED:yes|no|yes (guessed)|no (guessed)|unknown".
// Metered when any connected device is; not metered when connected devices all say "no"; unknown when nmcli is not
// installed, NetworkManager is not running, nothing is connected, or a connected device says "unknown".
// LC_ALL=C: nmcli translates its values otherwise.
import { captureCommand } from '../restic/run-restic.js';

const NMCLI_TIMEOUT_MS = 5_000;

export function parseNmcliMetered(stdout: string): boolean | null {
  const devices: { state: string; metered: string | null }[] = [];
  for (const line of stdout.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const field = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (field === 'GENERAL.STATE') devices.push({ state: value, metered: null });
    else if (field === 'GENERAL.METERED' && devices.length) devices[devices.length - 1]!.metered = value;
  }
  const connected = devices.filter((d) => /^100\b/.test(d.state));
  if (connected.length === 0) return null;
  if (connected.some((d) => d.metered?.startsWith('yes'))) return true;
  if (connected.every((d) => d.metered?.startsWith('no'))) return false;
  return null;
}

export async function readNmcliMetered(opts: { path?: string; timeoutMs?: number } = {}): Promise<boolean | null> {
  const result = await captureCommand('nmcli', ['-t', '-f', 'GENERAL.STATE,GENERAL.METERED', 'device', 'show'], {
    env: { PATH: opts.path ?? process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
    timeoutMs: opts.timeoutMs ?? NMCLI_TIMEOUT_MS,
  });
  if (result.spawnFailure || result.timedOut || result.exitCode !== 0) return null;
  return parseNmcliMetered(result.stdout);
}
