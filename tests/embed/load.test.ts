import { mkdir, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { env } from "@huggingface/transformers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config";
import { ModelLoadError } from "../../src/domain/errors";
import { loadEmbedderOrExplain, TransformersEmbedder, type TransformersEmbedderOptions } from "../../src/embed";
import { silentLogger } from "../../src/logger";
import { offlineOptions, writeTinyModel } from "../helpers/tiny-model";

let tmp: string;

function options(model: string, overrides: Partial<TransformersEmbedderOptions> = {}): TransformersEmbedderOptions {
  return offlineOptions(model, tmp, overrides);
}

async function loadError(opts: TransformersEmbedderOptions): Promise<ModelLoadError> {
  const error: unknown = await TransformersEmbedder.load(opts).then(
    (embedder) => embedder.dispose().then(() => null),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelLoadError);
  return error as ModelLoadError;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "embed-load-"));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("TransformersEmbedder.load from a folder", () => {
  it("loads a folder whose name is not shaped like a hub id", async () => {
    const folder = await writeTinyModel(tmp, { name: "mô hình thử (v2)", dimensions: 8 });
    const embedder = await TransformersEmbedder.load(options(folder));
    expect(embedder.dimensions).toBe(8);
    await embedder.dispose();
  });

  it("loads a folder given relative to the working directory", async () => {
    const folder = await writeTinyModel(tmp, { name: "relative", dimensions: 8 });
    const relative = path.relative(process.cwd(), folder);
    expect(path.isAbsolute(relative)).toBe(false);
    const embedder = await TransformersEmbedder.load(options(relative));
    expect(embedder.modelId).toBe(relative);
    expect(embedder.dimensions).toBe(8);
    await embedder.dispose();
  });

  it("reads the folder, not a same-named entry in the transformers.js cache", async () => {
    // As if an earlier hub load had cached a model called "shadowed" there.
    const cacheDir = path.join(tmp, "shadow-cache");
    await mkdir(path.join(cacheDir, "shadowed"), { recursive: true });
    await writeFile(path.join(cacheDir, "shadowed", "config.json"), "{ broken");
    const previous = env.cacheDir;
    env.cacheDir = cacheDir;
    env.useFSCache = true;
    try {
      const folder = await writeTinyModel(tmp, { name: "shadowed", dimensions: 8 });
      const embedder = await TransformersEmbedder.load(options(folder));
      expect(embedder.dimensions).toBe(8);
      await embedder.dispose();
    } finally {
      env.cacheDir = previous;
    }
  });
});

describe("TransformersEmbedder.load failures", () => {
  const realFetch = env.fetch;
  afterEach(() => {
    env.fetch = realFetch;
  });

  it("names a folder path that does not exist", async () => {
    const missing = path.join(tmp, "no-such-model");
    const error = await loadError(options(missing));
    expect(error.model).toBe(missing);
    expect(error.reason).toBe(`no such folder: ${missing}`);
  });

  it("explains a folder without config.json", async () => {
    const folder = path.join(tmp, "empty-folder");
    await mkdir(folder, { recursive: true });
    expect((await loadError(options(folder))).reason).toMatch(/has no config\.json/);
  });

  it("names the ONNX file the dtype needs when it is missing", async () => {
    const folder = await writeTinyModel(tmp, { name: "no-quantized" });
    await unlink(path.join(folder, "onnx", "model_quantized.onnx"));
    const error = await loadError(options(folder, { dtype: "q8" }));
    expect(error.reason).toBe(`onnx/model_quantized.onnx is missing in ${folder} (dtype q8 reads that file)`);
    // The fp32 file is still there, so that dtype loads.
    const embedder = await TransformersEmbedder.load(options(folder, { dtype: "fp32" }));
    await embedder.dispose();
  });

  it("refuses a dtype transformers.js does not know instead of silently loading fp32", async () => {
    const folder = await writeTinyModel(tmp, { name: "any-dtype" });
    expect((await loadError(options(folder, { dtype: "q7" }))).reason).toMatch(/^unknown dtype "q7" \(one of .*q8/);
  });

  it("reports a corrupt ONNX file as an invalid model", async () => {
    const folder = await writeTinyModel(tmp, { name: "corrupt" });
    await writeFile(path.join(folder, "onnx", "model_quantized.onnx"), "this is not protobuf at all");
    expect((await loadError(options(folder))).reason).toMatch(/^the ONNX file is not a valid model/);
  });

  it("reports a corrupt tokenizer.json", async () => {
    const folder = await writeTinyModel(tmp, { name: "bad-tokenizer" });
    await writeFile(path.join(folder, "tokenizer.json"), "{ not json");
    expect((await loadError(options(folder))).reason).toMatch(/^tokenizer\.json is corrupt \(/);
  });

  it("says offline and not cached when the hub cannot be reached", async () => {
    // Simulate no network the way undici reports it, so the test never downloads anything.
    env.fetch = async () => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("getaddrinfo ENOTFOUND huggingface.co"), { code: "ENOTFOUND" }),
      });
    };
    const cacheDir = path.join(tmp, "empty-cache");
    const error = await loadError(options("newsroom-tests/not-a-model", { allowRemoteModels: true, cacheDir }));
    expect(error.reason).toMatch(/^offline and not in the cache/);
    expect(error.reason).toContain(cacheDir);
  });

  it("says not cached and remote disabled for a hub id when downloads are off", async () => {
    env.fetch = async () => {
      throw new Error("must not fetch when remote models are disabled");
    };
    const error = await loadError(options("newsroom-tests/not-a-model", { allowRemoteModels: false }));
    expect(error.reason).toMatch(/^not in the cache .* remote models are disabled/);
  });
});

describe("loadEmbedderOrExplain", () => {
  function settings(model: string, dense: "auto" | "off" = "auto"): Config["embedding"] {
    return {
      model,
      dtype: "q8",
      cacheDir: path.join(tmp, "cache"),
      allowRemoteModels: false,
      dense,
      threads: 1,
      batchSize: 8,
    };
  }

  it("loads nothing when dense retrieval is off", async () => {
    // The model path does not exist: had it tried to load, the reason would say so.
    const result = await loadEmbedderOrExplain(settings(path.join(tmp, "absent"), "off"), silentLogger);
    expect(result).toEqual({ embedder: null, reason: "DENSE_RETRIEVAL=off" });
  });

  it("returns the load error as a reason instead of throwing", async () => {
    const missing = path.join(tmp, "absent");
    const result = await loadEmbedderOrExplain(settings(missing), silentLogger);
    expect(result.embedder).toBeNull();
    expect(result.reason).toBe(`could not load embedding model ${missing}: no such folder: ${missing}`);
  });

  it("returns a working embedder when the model loads", async () => {
    const folder = await writeTinyModel(tmp, { name: "explained", dimensions: 16 });
    const result = await loadEmbedderOrExplain(settings(folder), silentLogger);
    expect(result.reason).toBeNull();
    expect(result.embedder?.dimensions).toBe(16);
    expect(await result.embedder?.embedQuery("tin tức")).toHaveLength(16);
    await result.embedder?.dispose();
  });
});
