import path from 'node:path'
import { defineConfig } from 'vitest/config'

const alias = { '~': path.resolve(import.meta.dirname, 'app') }

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/setup/unit-env.ts', 'test/setup/no-console-error.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/global-services.ts'],
          setupFiles: ['test/setup/integration-env.ts', 'test/setup/no-console-error.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
          // expect.poll's own default (1 s) is shorter than a loaded CI machine's worst round trip.
          expect: { poll: { timeout: 15_000, interval: 100 } },
        },
      },
      // Against the real server, like integration: one test per hole found, each seen failing before its fix.
      {
        resolve: { alias },
        test: {
          name: 'security',
          sequence: { groupOrder: 1 },
          include: ['test/security/**/*.test.ts'],
          globalSetup: ['test/setup/global-services.ts'],
          setupFiles: ['test/setup/integration-env.ts', 'test/setup/no-console-error.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
          // expect.poll's own default (1 s) is shorter than a loaded CI machine's worst round trip.
          expect: { poll: { timeout: 15_000, interval: 100 } },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/setup/global-services.ts', 'test/setup/global-e2e.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          expect: { poll: { timeout: 15_000, interval: 100 } },
        },
      },
    ],
  },
})
