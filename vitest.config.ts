import { defineConfig } from 'vitest/config';

// Unit and integration tests run in plain Node. Vitest fails the run on any unhandled rejection or uncaught
// exception (dangerouslyIgnoreUnhandledErrors stays off).
export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-shared/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});
