// What the conditions of a scheduled run are judged on, behind one small interface so that each host can bring
// what its platform offers (the desktop app adds Electron's on-battery) and tests can bring fixtures. Every answer
// may be `null`: the probe could not tell. Unknown is never read as "the condition holds" (see gate.ts).

export interface PowerReading {
  /** null: unknown (no power supply information on this system). */
  onBattery: boolean | null;
  /** Charge of the system's batteries, 0-100; null when unknown or when there is no battery. */
  percent: number | null;
}

export interface ConditionProbes {
  power(): Promise<PowerReading>;
  /** true on a metered connection (a phone's hotspot), null when the system cannot tell. */
  metered(): Promise<boolean | null>;
  /** The repository's host answers (or a local repository's folder exists); null when Backstay cannot tell for this kind. */
  reachable(repoUri: string): Promise<boolean | null>;
  /** `mountPath` is a mounted drive, and a local repository's folder on it is present; null when unknown. */
  mounted(mountPath: string, repoUri: string): Promise<boolean | null>;
}
