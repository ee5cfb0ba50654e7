import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'shared/**/*.test.ts', 'functions/**/*.test.ts', 'local/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: on the 2-core machines CI runs on that
    // is one file at a time, while most files wait on the local AWS's threads and sockets.
    maxWorkers: 2,
    globalSetup: ['test/support/build-cli.ts'],
  },
});
