import type { Reporter, TestModule } from "vitest/node";

/**
 * Adds one plain closing line, `tests: N passed, N failed, N skipped`, after vitest's own report,
 * so that any tool (CI included) can read the outcome without parsing vitest's formatting.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
    }
    // Printed at exit so that it closes the output, after the default reporter's summary.
    process.once("exit", () => process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`));
  }
}
