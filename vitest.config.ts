import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // onnxruntime-node and hnswlib-node are native addons: forks isolate them more safely than threads.
    pool: "forks",
    testTimeout: 60_000,
    reporters: ["default", "./tests/summary-reporter.ts"],
    hookTimeout: 60_000,
  },
});
