import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Statistical tests run many sweeps; they are deterministic, not timed.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
