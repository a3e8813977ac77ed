import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AutoTokenizer, env } from "@huggingface/transformers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TransformersEmbedder } from "../../src/embed";
import { parseBlob, type ParsedBlob } from "../../src/model/blob";
import { convertBlob, MODEL_FILES } from "../../src/model/convert";
import { cosine } from "../../src/embed";
import { dequantizeQ4Rows } from "../../src/model/q4";
import { TINY_CONFIG, TINY_TABLE, writeTinyBlob } from "../helpers/tiny-blob";
import { offlineOptions } from "../helpers/tiny-model";

// The folder is named like the real model so the product picks the e5 profile ("passage: " prefix).
const NAME = "multilingual-e5-small";
let tmp: string;
let blobFile: string;
let modelDir: string;
let blob: ParsedBlob;

/** The table's codepoints, ASCII, Latin and Vietnamese letters, and a few odd ones: a fast check. */
function sampleCodepoints(): number[] {
  const extra = [0xff5e, 0x2581, 0x1e00, 0x1ef9, 0x10781, 0x1f600];
  const ranges = [...Array(0x250).keys()].concat([...Array(0x100).keys()].map((i) => 0x1e00 + i));
  return [...new Set([...TINY_TABLE.keys(), ...ranges, ...extra])];
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "model-convert-"));
  const bytes = writeTinyBlob();
  blob = parseBlob(bytes);
  blobFile = path.join(tmp, "tiny-q4.bin");
  await writeFile(blobFile, bytes);
  modelDir = path.join(tmp, NAME);
  // The default check: the written normaliser against the table on every Unicode codepoint.
  await convertBlob({ blobFile, outDir: modelDir });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("convertBlob: the folder layout", () => {
  it("writes the files transformers.js reads, and a build record", async () => {
    for (const file of [...MODEL_FILES, "build.json"]) expect((await stat(path.join(modelDir, file))).size).toBeGreaterThan(0);
    const config = JSON.parse(await readFile(path.join(modelDir, "config.json"), "utf8"));
    expect(config).toMatchObject({
      architectures: ["BertModel"],
      model_type: "bert",
      hidden_size: TINY_CONFIG.hidden,
      num_hidden_layers: TINY_CONFIG.layers,
      num_attention_heads: TINY_CONFIG.heads,
      intermediate_size: TINY_CONFIG.ffn,
      vocab_size: TINY_CONFIG.vocab,
      max_position_embeddings: TINY_CONFIG.maxPositions,
      layer_norm_eps: 1e-12,
    });
    const tokenizer = JSON.parse(await readFile(path.join(modelDir, "tokenizer.json"), "utf8"));
    expect(tokenizer.model.type).toBe("Unigram");
    expect(tokenizer.model.vocab[7]).toEqual(["▁giá", -5]);
    expect(tokenizer.pre_tokenizer).toMatchObject({ type: "Metaspace", replacement: "▁", prepend_scheme: "always" });
    expect(tokenizer.added_tokens.map((t: { content: string }) => t.content)).toEqual(["<s>", "<pad>", "</s>", "<unk>", "<mask>"]);
  });

  it("skips a second run from the same blob, and rebuilds when a file is missing", async () => {
    const again = await convertBlob({ blobFile, outDir: modelDir, normalizerCheck: [] });
    expect(again.skipped).toBe(true);
    await rm(path.join(modelDir, "onnx", "model_quantized.onnx"));
    const rebuilt = await convertBlob({ blobFile, outDir: modelDir, normalizerCheck: sampleCodepoints() });
    expect(rebuilt.skipped).toBe(false);
    expect((await stat(path.join(modelDir, "onnx", "model_quantized.onnx"))).size).toBe(rebuilt.record.files["onnx/model_quantized.onnx"]);
  });

  it("rebuilds when the blob changes", async () => {
    const other = path.join(tmp, "other-q4.bin");
    const bytes = writeTinyBlob();
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1; // one weight bit
    await writeFile(other, bytes);
    const out = path.join(tmp, "other", NAME);
    await convertBlob({ blobFile, outDir: out, normalizerCheck: [] });
    const result = await convertBlob({ blobFile: other, outDir: out, normalizerCheck: [] });
    expect(result.skipped).toBe(false);
  });
});

describe("the converted tokenizer through transformers.js (remote models off)", () => {
  let encode: (text: string) => number[];

  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = tmp;
    const tokenizer = await AutoTokenizer.from_pretrained(NAME);
    encode = (text) => tokenizer.encode(text);
  });

  it("adds <s> … </s> and picks the best-scoring segmentation (Viterbi over the pieces' scores)", () => {
    expect(encode("passage: giá gạo tăng")).toEqual([0, 5, 6, 7, 8, 9, 2]);
    // ▁a + bc (−13.0) beats ▁ab + c (−13.4) and single letters.
    expect(encode("abc")).toEqual([0, 15, 17, 2]);
  });

  it("normalises as the blob's table says, including where NFKC would not", () => {
    expect(encode("ﬁ")).toEqual(encode("fi")); // table: NFKC
    expect(encode("Ａ")).toEqual([0, 4, 22, 2]);
    expect(encode("giá\n\t  gạo")).toEqual(encode("giá gạo")); // spaces, then runs collapsed
    expect(encode("gi\u0001á")).toEqual(encode("giá")); // deleted
    expect(encode("～")).toEqual([0, 4, 20, 2]); // kept, though NFKC makes it "~" (id 21)
    expect(encode("~")).toEqual([0, 4, 21, 2]);
    expect(encode("é")).toEqual([0, 4, 3, 2]); // table: é → e, which is not a piece → <unk>
  });
});

describe("the converted model through the product's embedder", () => {
  const texts = ["giá gạo tăng", "abc giá ﬁ", "gạo"];

  it("fp32 gives the BERT forward pass of the dequantised weights (mean-pooled, normalised)", async () => {
    const embedder = await TransformersEmbedder.load(offlineOptions(modelDir, tmp, { dtype: "fp32" }));
    const tokenizer = await AutoTokenizer.from_pretrained(NAME);
    // Batched together, so the shorter texts are padded: padding must not change their vectors.
    const vectors = await embedder.embedPassages(texts);
    await embedder.dispose();
    texts.forEach((text, i) => {
      const expected = referenceEmbedding(blob, tokenizer.encode(`passage: ${text}`));
      expect(cosine(vectors[i]!, expected)).toBeGreaterThan(0.99999);
    });
  });

  it("q8 loads model_quantized.onnx and stays close to fp32", async () => {
    const fp32 = await TransformersEmbedder.load(offlineOptions(modelDir, tmp, { dtype: "fp32" }));
    const q8 = await TransformersEmbedder.load(offlineOptions(modelDir, tmp, { dtype: "q8" }));
    const [a, b] = [await fp32.embedPassages(texts), await q8.embedPassages(texts)];
    await Promise.all([fp32.dispose(), q8.dispose()]);
    expect(q8.dimensions).toBe(TINY_CONFIG.hidden);
    texts.forEach((_, i) => {
      expect(cosine(a[i]!, b[i]!)).toBeGreaterThan(0.98);
      expect(cosine(a[i]!, b[i]!)).toBeLessThan(1 - 1e-7); // a different graph, not a copy
    });
  });
});


/**
 * BERT written out in plain arrays, from the blob's own weights: the independent reference the
 * ONNX graph must match (embeddings + LayerNorm, attention per head, erf GELU, residuals).
 */
function referenceEmbedding(b: ParsedBlob, ids: number[]): Float32Array {
  const { hidden: h, heads, ffn, layerNormEps: eps } = b.config;
  const f32 = (name: string) => new Float32Array(b.tensors.get(name)!.data.slice().buffer);
  const matrix = (name: string, rows: number, columns: number) => dequantizeQ4Rows(b.tensors.get(name)!.data, columns, 0, rows);
  const n = ids.length;
  const word = matrix("emb.word", b.config.vocab, h);
  const [pos, type] = [f32("emb.pos"), f32("emb.type")];
  let x = ids.map((id, t) => Array.from({ length: h }, (_, d) => word[id * h + d]! + pos[t * h + d]! + type[d]!));
  const layerNorm = (rows: number[][], w: Float32Array, bias: Float32Array) =>
    rows.map((r) => {
      const mean = r.reduce((s, v) => s + v, 0) / h;
      const variance = r.reduce((s, v) => s + (v - mean) ** 2, 0) / h;
      return r.map((v, d) => ((v - mean) / Math.sqrt(variance + eps)) * w[d]! + bias[d]!);
    });
  const linear = (rows: number[][], name: string, out: number, inp: number) => {
    const w = matrix(`${name}.w`, out, inp);
    const bias = f32(`${name}.b`);
    return rows.map((r) => Array.from({ length: out }, (_, o) => r.reduce((s, v, i) => s + v * w[o * inp + i]!, bias[o]!)));
  };
  x = layerNorm(x, f32("emb.ln.w"), f32("emb.ln.b"));
  const hd = h / heads;
  for (let l = 0; l < b.config.layers; l++) {
    const [q, k, v] = ["q", "k", "v"].map((p) => linear(x, `l${l}.${p}`, h, h)) as [number[][], number[][], number[][]];
    const context = x.map(() => new Array<number>(h).fill(0));
    for (let head = 0; head < heads; head++) {
      for (let t = 0; t < n; t++) {
        const scores = k.map((kr) => {
          let s = 0;
          for (let e = 0; e < hd; e++) s += q[t]![head * hd + e]! * kr[head * hd + e]!;
          return s / Math.sqrt(hd);
        });
        const max = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - max));
        const sum = exps.reduce((a, c) => a + c, 0);
        exps.forEach((p, s) => {
          for (let e = 0; e < hd; e++) context[t]![head * hd + e]! += (p / sum) * v[s]![head * hd + e]!;
        });
      }
    }
    const attention = linear(context, `l${l}.ao`, h, h);
    x = layerNorm(x.map((r, t) => r.map((val, d) => val + attention[t]![d]!)), f32(`l${l}.aln.w`), f32(`l${l}.aln.b`));
    const mid = linear(x, `l${l}.fi`, ffn, h).map((r) => r.map((m) => 0.5 * m * (1 + erf(m / Math.SQRT2))));
    const output = linear(mid, `l${l}.fo`, h, ffn);
    x = layerNorm(x.map((r, t) => r.map((val, d) => val + output[t]![d]!)), f32(`l${l}.oln.w`), f32(`l${l}.oln.b`));
  }
  const mean = Array.from({ length: h }, (_, d) => x.reduce((s, r) => s + r[d]!, 0) / n);
  const norm = Math.sqrt(mean.reduce((s, v) => s + v * v, 0));
  return Float32Array.from(mean.map((v) => v / norm));
}

/** erf to ~1e-7 (Abramowitz & Stegun 7.1.26 is 1.5e-7): enough for a 0.99999 cosine. */
function erf(x: number): number {
  const sign = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return sign * y;
}
