// The probes of a real machine. Linux: sysfs power supplies, NetworkManager's metered flag, /proc mountinfo. A host
// may add what its platform knows better (the desktop app: Electron's powerMonitor.isOnBatteryPower(), which also
// covers macOS and Windows, where sysfs is absent); what nobody can tell stays unknown.
import { driveMounted, MOUNTINFO } from './mounted.js';
import { readNmcliMetered } from './metered-nmcli.js';
import { readLinuxPower, SYS_POWER_SUPPLY } from './power-linux.js';
import type { ConditionProbes } from './probes.js';
import { repoReachable } from './reachable.js';

export interface SystemProbeOptions {
  powerSupplyRoot?: string;
  mountinfoFile?: string;
  /** PATH used to find nmcli (tests put a scripted one first). */
  nmcliPath?: string;
  /** A host's own on-battery answer (Electron powerMonitor); used where sysfs cannot tell. */
  onBatteryPower?: () => boolean | null;
  connectTimeoutMs?: number;
}

export function systemProbes(opts: SystemProbeOptions = {}): ConditionProbes {
  return {
    async power() {
      const reading = await readLinuxPower(opts.powerSupplyRoot ?? SYS_POWER_SUPPLY);
      if (reading.onBattery !== null || !opts.onBatteryPower) return reading;
      return { onBattery: opts.onBatteryPower(), percent: reading.percent };
    },
    metered: () => readNmcliMetered({ path: opts.nmcliPath }),
    reachable: (uri) => repoReachable(uri, opts.connectTimeoutMs),
    mounted: (mountPath, uri) => driveMounted(mountPath, uri, opts.mountinfoFile ?? MOUNTINFO),
  };
}
