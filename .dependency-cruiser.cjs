// The layering of DESIGN.md, kept by a tool: `npm run lint` (part of `npm test`) fails on a violation.
// Tests and test support may import across layers; these rules are about what ships.
const notTests = '(\\.test\\.tsx?$|/testing/|^test/|^renderer/test-support/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'common-imports-nothing',
      comment: 'main/common holds the contract types shared with the preload and the renderer: it imports nothing outside itself.',
      severity: 'error',
      from: { path: '^main/common/', pathNot: notTests },
      to: { pathNot: '^main/common/' },
    },
    {
      name: 'core-never-imports-hosts',
      comment: 'Dependencies point inward: hosts -> core -> common.',
      severity: 'error',
      from: { path: '^main/core/', pathNot: notTests },
      to: { path: '^main/hosts/' },
    },
    {
      name: 'hosts-do-not-import-each-other',
      comment: 'The Electron host and `serve` are independent adapters over the same core (the CLI may talk to a running serve).',
      severity: 'error',
      from: { path: '^main/hosts/(electron|headless)/', pathNot: notTests },
      to: { path: '^main/hosts/', pathNot: ['^main/hosts/$1/'] },
    },
    {
      name: 'only-electron-adapters-import-electron',
      comment: 'Only main/hosts/electron/electron-*.ts and preload/ import electron; everything else runs under plain Node.',
      severity: 'error',
      from: { pathNot: ['^main/hosts/electron/electron-[^/]+\\.(ts|mjs)$', '^preload/', notTests] },
      to: { path: '(^|/)node_modules/electron/' },
    },
    {
      name: 'renderer-imports-only-common',
      comment: 'The renderer shares the contract with the engine, nothing else of main/.',
      severity: 'error',
      from: { path: '^renderer/', pathNot: notTests },
      to: { path: '^(main|preload)/', pathNot: '^main/common/' },
    },
    {
      name: 'renderer-imports-only-types-from-common',
      comment: 'The renderer bundle must not pull engine code: from main/common it imports types only.',
      severity: 'error',
      from: { path: '^renderer/', pathNot: notTests },
      to: { path: '^main/common/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-restic-module-spawns-processes',
      comment:
        'restic is started in one place (main/core/restic/run-restic.ts: one execa configuration, one error shape). ' +
        "Exceptions: hooks run the user's own commands, and the Electron launcher starts Electron, not restic.",
      severity: 'error',
      from: {
        path: '^(main|preload|renderer)/',
        pathNot: [notTests, '^main/core/restic/run-restic\\.ts$', '^main/core/hooks/', '^main/hosts/electron/electron-launch\\.mjs$'],
      },
      to: { path: ['^(node:)?child_process$', '(^|/)node_modules/execa/'] },
    },
    {
      name: 'no-circular-in-core',
      comment: 'A cycle makes a layer impossible to read (or to test) on its own.',
      severity: 'error',
      from: { path: '^main/', pathNot: notTests },
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports is dead code (or a missing test).',
      severity: 'error',
      from: {
        orphan: true,
        path: '^(main|preload|renderer)/',
        pathNot: [notTests, '\\.d\\.ts$', '(^|/)(vite|vitest)\\.config\\.ts$', '^main/hosts/electron/electron-launch\\.mjs$', '^main/hosts/cli/backstay\\.mjs$', '^renderer/bench-apply\\.ts$'],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|release|\\.tools)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
