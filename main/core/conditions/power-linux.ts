// Linux power supplies from sysfs (/sys/class/power_supply/<name>/{type,online,status,capacity,scope}), read from
// a root folder given as a parameter so that tests use a fixture tree.
// - A mains (or USB) supply that is online: not on battery.
// - Otherwise a system battery that is discharging (or every mains supply offline with a battery present): on battery.
// - No supplies at all (a desktop or a VM): not on battery, no percent.
// - No power_supply folder (not Linux, or sysfs not mounted): unknown.
// Batteries of devices (a wireless mouse: scope "Device") are not the machine's and are ignored.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PowerReading } from './probes.js';

export const SYS_POWER_SUPPLY = '/sys/class/power_supply';

async function readAttr(dir: string, name: string): Promise<string | null> {
  try {
    return (await readFile(path.join(dir, name), 'utf8')).trim();
  } catch {
    return null;
  }
}

export async function readLinuxPower(root: string = SYS_POWER_SUPPLY): Promise<PowerReading> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return { onBattery: null, percent: null };
  }
  let mainsOnline = false;
  let mainsSeen = false;
  let discharging = false;
  const capacities: number[] = [];
  let batteries = 0;
  for (const name of names.sort()) {
    const dir = path.join(root, name);
    const type = await readAttr(dir, 'type');
    if ((await readAttr(dir, 'scope')) === 'Device') continue;
    if (type === 'Mains' || type === 'USB') {
      mainsSeen = true;
      if ((await readAttr(dir, 'online')) === '1') mainsOnline = true;
    } else if (type === 'Battery') {
      batteries += 1;
      if ((await readAttr(dir, 'status')) === 'Discharging') discharging = true;
      const capacity = await readAttr(dir, 'capacity');
      if (capacity !== null && capacity !== '' && Number.isFinite(Number(capacity))) capacities.push(Math.max(0, Math.min(100, Number(capacity))));
    }
  }
  const percent = capacities.length ? Math.round(capacities.reduce((a, b) => a + b, 0) / capacities.length) : null;
  if (batteries === 0) return { onBattery: false, percent: null };
  const onBattery = mainsOnline ? false : discharging || mainsSeen;
  return { onBattery, percent };
}
