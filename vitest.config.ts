import { defineConfig } from 'vitest/config';

// One runner for the whole workspace. Tests live next to the source (`*.test.ts`) or in a
// package's `test/` folder. Database tests read DATABASE_URL: unset means embedded PGlite.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
