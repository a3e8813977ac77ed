/**
 * The raw limit of this machine for an embedding model: onnxruntime-node running the model's ONNX
 * graph directly, with nothing of transformers.js or of the product around it. `bench:ingest --raw`
 * times it beside the product's embedder over the same tokenised passages, batches and threads.
 */
import path from "node:path";
import * as ort from "onnxruntime-node";

/** Milliseconds spent in each step of the raw path, summed over the batches run. */
export interface RawTimes {
  /** Building the padded int64 input tensors. */
  feedMs: number;
  /** `session.run` alone: the number the product is compared with. */
  runMs: number;
  /** Mean pooling over the real tokens and L2 normalisation, in a plain loop. */
  poolMs: number;
  passages: number;
}

export class RawOnnx {
  readonly times: RawTimes = { feedMs: 0, runMs: 0, poolMs: 0, passages: 0 };

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly padId: number,
  ) {}

  /** The file transformers.js loads for `dtype` (q8 → onnx/model_quantized.onnx, fp32 → onnx/model.onnx). */
  static fileFor(folder: string, dtype: string): string {
    const suffix = { fp32: "", q8: "_quantized", int8: "_int8", uint8: "_uint8", fp16: "_fp16" }[dtype];
    if (suffix === undefined) throw new Error(`bench:ingest --raw knows no ONNX file for dtype ${dtype}`);
    return path.join(folder, "onnx", `model${suffix}.onnx`);
  }

  /** Same session options as the product's embedder: `threads` intra-op threads, one inter-op. */
  static async load(file: string, threads: number, padId: number): Promise<RawOnnx> {
    const session = await ort.InferenceSession.create(file, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionProviders: ["cpu"],
    });
    return new RawOnnx(session, padId);
  }

  /** One forward pass over `rows` (token ids, special tokens included); unit vectors, one per row. */
  async embed(rows: readonly ArrayLike<number>[]): Promise<Float32Array[]> {
    let t = performance.now();
    const width = Math.max(...rows.map((r) => r.length));
    const ids = new BigInt64Array(rows.length * width).fill(BigInt(this.padId));
    const mask = new BigInt64Array(rows.length * width);
    rows.forEach((row, r) => {
      for (let k = 0; k < row.length; k++) {
        ids[r * width + k] = BigInt(row[k]!);
        mask[r * width + k] = 1n;
      }
    });
    const dims = [rows.length, width];
    const feed: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", ids, dims),
      attention_mask: new ort.Tensor("int64", mask, dims),
    };
    if (this.session.inputNames.includes("token_type_ids")) {
      feed.token_type_ids = new ort.Tensor("int64", new BigInt64Array(rows.length * width), dims);
    }
    const t1 = performance.now();
    this.times.feedMs += t1 - t;
    const output = await this.session.run(feed);
    const t2 = performance.now();
    this.times.runMs += t2 - t1;

    const hidden = output[this.session.outputNames[0]!]!;
    const data = hidden.data as Float32Array;
    const size = hidden.dims[2]!;
    const vectors = rows.map((row, r) => {
      const vector = new Float32Array(size);
      for (let k = 0; k < row.length; k++) {
        const offset = (r * width + k) * size;
        for (let d = 0; d < size; d++) vector[d]! += data[offset + d]!;
      }
      let norm = 0;
      for (let d = 0; d < size; d++) norm += vector[d]! * vector[d]!;
      const scale = 1 / (Math.sqrt(norm) || 1);
      for (let d = 0; d < size; d++) vector[d]! *= scale;
      return vector;
    });
    hidden.dispose();
    t = performance.now();
    this.times.poolMs += t - t2;
    this.times.passages += rows.length;
    return vectors;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
