// Reading and saving the settings, and pausing or previewing the schedule.
import type { RpcParams, ScheduleSpec } from '../../../main/common/index.js';
import type { BackstayClient } from '../client/index.js';

export function createSettingsActions(client: BackstayClient) {
  return {
    loadConfig: () => client.invoke('config.get', {}),
    save: (settings: RpcParams<'config.saveSettings'>['settings']) => client.invoke('config.saveSettings', { settings }),
    /** What importing another tool's file would add, and what it cannot; writes nothing. */
    importPreview: (params: RpcParams<'config.importPreview'>) => client.invoke('config.importPreview', params),
    importApply: (params: RpcParams<'config.importApply'>) => client.invoke('config.importApply', params),
  };
}

export function createScheduleActions(client: BackstayClient) {
  return {
    /** Pauses every schedule until `until` (an ISO time), or until resumed when null. */
    pause: (until: string | null) => client.invoke('schedule.pause', { until }),
    resume: () => client.invoke('schedule.resume', {}),
    /** The next `count` runs of a schedule as the host's scheduler computes them. */
    preview: (schedule: ScheduleSpec, count: number) => client.invoke('schedule.preview', { schedule, count }),
    /** Caps the upload of backups for `minutes` (running ones restart with the cap). */
    slowDown: (minutes: number) => client.invoke('settings.slowDown', { minutes }),
    fullSpeed: () => client.invoke('settings.fullSpeed', {}),
  };
}
