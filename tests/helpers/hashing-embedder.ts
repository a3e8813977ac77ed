import { createHash } from "node:crypto";
import type { Embedder } from "../../src/domain/types";
import { syllables } from "../../src/text/vietnamese";

/**
 * A deterministic bag-of-syllables embedder for store and retrieval tests that are about
 * storage and fusion, not about the model (the real transformers.js path is tested in
 * tests/embed with a generated ONNX model). It records every batch it is asked to embed.
 */
export function hashingEmbedder(dimensions = 32): Embedder & { calls: string[][] } {
  const embed = (text: string) => {
    const v = new Float32Array(dimensions);
    for (const s of syllables(text)) {
      const h = createHash("md5").update(s).digest();
      v[h[0]! % dimensions]! += 1;
      v[h[1]! % dimensions]! += 0.5;
    }
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  };
  const calls: string[][] = [];
  return {
    modelId: "test/hashing",
    dtype: "fp32",
    dimensions,
    queryPrefix: "query: ",
    passagePrefix: "passage: ",
    calls,
    async embedPassages(texts, onProgress) {
      calls.push(texts);
      onProgress?.(texts.length, texts.length);
      return texts.map(embed);
    },
    async embedQuery(text) {
      return embed(text);
    },
  };
}
