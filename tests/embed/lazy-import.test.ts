import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * The native libraries a fresh Node process has loaded after running `script` (ESM has no list of
 * loaded modules; onnxruntime-node's addon shows up among the shared objects once imported).
 */
function sharedObjectsAfter(script: string): string[] {
  const code = `${script}\nconst report = process.report.getReport();\nprocess.stdout.write(JSON.stringify(report.sharedObjects));`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    cwd: root,
    encoding: "utf8",
  });
  return JSON.parse(out) as string[];
}

describe("heavy modules are imported only when a model is loaded", () => {
  it("importing the service, or a configuration that fails before the load (dense off, a missing folder), does not load onnxruntime", () => {
    const loaded = sharedObjectsAfter(`
      await import("./src/app/index.ts");
      const { loadEmbedderOrExplain } = await import("./src/embed/index.ts");
      const { silentLogger } = await import("./src/logger.ts");
      const base = { model: "./no-such-model-folder", dtype: "q8", cacheDir: "/tmp", allowRemoteModels: false, threads: 1, batchSize: 1 };
      const off = await loadEmbedderOrExplain({ ...base, dense: "off" }, silentLogger);
      const missing = await loadEmbedderOrExplain({ ...base, dense: "auto" }, silentLogger);
      if (off.embedder || missing.embedder || !/no such folder/.test(missing.reason)) throw new Error("unexpected: " + missing.reason);
    `);
    expect(loaded.some((file) => /onnxruntime/i.test(file))).toBe(false);
  });

  it("(control) the check sees onnxruntime once transformers.js is imported", () => {
    const loaded = sharedObjectsAfter(`await import("@huggingface/transformers");`);
    expect(loaded.some((file) => /onnxruntime/i.test(file))).toBe(true);
  });
});
