import { defineConfig } from 'vitest/config';

// Four projects: the engine and hosts under Node, the renderer's logic under happy-dom, the desktop entry run
// whole under the Electron stand-in (test/desktop), and the end-to-end tests that drive `backstay serve` in Chromium.
//
// Three workers on this 2-core machine: most tests wait on restic, rclone and Chromium processes rather than
// compute, so a third worker cuts the wall time by half (20 min serial, 10 min with three, measured) while the
// timing-bound tests keep their margins (each asserts a bound, never an exact duration).
export default defineConfig({
  test: {
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['main/**/*.test.ts', 'test/**/*.test.ts', 'preload/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/desktop/**', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
        },
      },
      {
        // The desktop entry run whole: a child process with the Electron stand-in (Chromium), one file at a time.
        test: {
          name: 'desktop',
          environment: 'node',
          include: ['test/desktop/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
