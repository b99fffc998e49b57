export { nextRunAfter, previewRuns, firstSlotAtOrAfter, type NextRunOptions } from './next-run.js';
export {
  Scheduler,
  realClock,
  memoryPausePersistence,
  jobKey,
  type ScheduledJob,
  type SchedulerClock,
  type SchedulerOptions,
  type PausePersistence,
  type SchedulablePlan,
  type SchedulableRepo,
} from './scheduler.js';
export { pauseFilePersistence } from './pause-file.js';
