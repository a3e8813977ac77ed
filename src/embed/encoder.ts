/**
 * One forward pass of the embedding model: token ids → pooled vectors, on the onnxruntime session
 * that transformers.js loaded.
 *
 * Why not the feature-extraction pipeline's own call: it tokenises again (the embedder has already
 * tokenised, to plan batches by token count), turns every id into a BigInt through intermediate
 * arrays, pools with a general tensor routine and normalises into a new tensor, then the rows are
 * copied out once more. Here the padded inputs are written once, the session runs, and each row is
 * pooled and normalised straight into the vector that is returned. The model itself is unchanged.
 */

/** The part of an onnxruntime tensor read here (the `onnxruntime-common` Tensor). */
export interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
  dispose?(): void;
}

/** The part of an onnxruntime `InferenceSession` used here. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
}

export interface EncoderOptions {
  session: OrtSession;
  /** Builds an int64 input tensor of the session's own onnxruntime build. */
  int64Tensor: (data: BigInt64Array, dims: number[]) => unknown;
  /** Converts an output that is not float32 (an fp16 graph's) to float32 values. */
  toFloat32: (tensor: OrtTensor) => Float32Array;
  padTokenId: number;
  pooling: "mean" | "cls";
  normalize: boolean;
}

/** Milliseconds per step of the forward passes, summed; see `TransformersEmbedder.counters`. */
export interface ForwardTimes {
  feedMs: number;
  runMs: number;
  poolMs: number;
}

/** Token positions [from, to) within one row of ids (special tokens counted). */
export type TokenRange = readonly [from: number, to: number];

/** Output names transformers.js's feature extraction reads, in its order of preference. */
const HIDDEN_STATE_OUTPUTS = ["last_hidden_state", "logits", "token_embeddings"];

export class Encoder {
  private readonly output: string;
  private readonly typeIds: boolean;

  constructor(private readonly options: EncoderOptions) {
    const { session } = options;
    this.output = HIDDEN_STATE_OUTPUTS.find((name) => session.outputNames.includes(name)) ?? session.outputNames[0] ?? "";
    // BERT-style exports take segment ids (all 0 for one text); XLM-R-style ones may not.
    this.typeIds = session.inputNames.includes("token_type_ids");
  }

  /**
   * One batch: `rows` are token ids with special tokens, already truncated; rows are padded on the
   * right to the longest. Returns one vector per row, in order, each in a buffer of its own.
   */
  async run(rows: readonly (readonly number[])[], times?: ForwardTimes): Promise<Float32Array[]> {
    return (await this.forward(rows, null, times)).vectors;
  }

  /**
   * `run`, also pooling each row's token ranges (`ranges[r]`, [from, to) positions within row r's
   * ids; null for none) the way the row itself is pooled: "late chunking", a sentence's vector
   * from its tokens' hidden states within its passage's forward pass, at no extra model time.
   */
  async runWithRanges(
    rows: readonly (readonly number[])[],
    ranges: readonly (readonly (TokenRange | null)[])[],
    times?: ForwardTimes,
  ): Promise<{ vectors: Float32Array[]; ranges: Array<Array<Float32Array | null>> }> {
    const result = await this.forward(rows, ranges, times);
    return { vectors: result.vectors, ranges: result.ranges ?? [] };
  }

  private async forward(
    rows: readonly (readonly number[])[],
    ranges: readonly (readonly (TokenRange | null)[])[] | null,
    times?: ForwardTimes,
  ): Promise<{ vectors: Float32Array[]; ranges: Array<Array<Float32Array | null>> | null }> {
    const started = performance.now();
    const width = rows.reduce((longest, row) => Math.max(longest, row.length), 0);
    const dims = [rows.length, width];
    const ids = new BigInt64Array(rows.length * width);
    const mask = new BigInt64Array(rows.length * width);
    const pad = BigInt(this.options.padTokenId);
    const lengths = rows.map((row, r) => {
      const offset = r * width;
      for (let k = 0; k < row.length; k++) {
        ids[offset + k] = BigInt(row[k]!);
        mask[offset + k] = 1n;
      }
      if (pad !== 0n) ids.fill(pad, offset + row.length, offset + width);
      return row.length;
    });
    const feeds: Record<string, unknown> = {
      input_ids: this.options.int64Tensor(ids, dims),
      attention_mask: this.options.int64Tensor(mask, dims),
    };
    if (this.typeIds) feeds.token_type_ids = this.options.int64Tensor(new BigInt64Array(rows.length * width), dims);
    const fed = performance.now();

    const outputs = await this.options.session.run(feeds);
    const ran = performance.now();
    const hidden = outputs[this.output];
    try {
      if (!hidden || hidden.dims.length !== 3 || hidden.dims[0] !== rows.length || hidden.dims[1] !== width) {
        throw new Error(`unexpected output shape [${hidden?.dims.join(", ") ?? ""}] for ${rows.length} texts of ${width} tokens`);
      }
      const data = hidden.type === "float32" ? (hidden.data as Float32Array) : this.options.toFloat32(hidden);
      const size = hidden.dims[2]!;
      const vectors = poolRows(data, size, width, lengths, this.options.pooling, this.options.normalize);
      const pooled = ranges ? ranges.map((own, r) => own.map((range) => (range ? poolRange(data, size, width, r, range, this.options.normalize) : null))) : null;
      if (times) {
        times.feedMs += fed - started;
        times.runMs += ran - fed;
        times.poolMs += performance.now() - ran;
      }
      return { vectors, ranges: pooled };
    } finally {
      // The hidden states (rows × width × size floats) are not needed past pooling.
      for (const tensor of Object.values(outputs)) tensor.dispose?.();
    }
  }
}

/**
 * Pools token vectors into one vector per row. `hidden` is [rows, width, size], row-major; row r's
 * real tokens are its first `lengths[r]` positions (right padding), and only they are averaged,
 * exactly as mean pooling under the attention mask. `cls` takes the first token. With `normalize`,
 * each vector is scaled to unit length (a zero vector stays zero).
 *
 * @example
 *   poolRows(Float32Array.of(1, 0, 3, 0, 9, 9), 2, 3, [2], "mean", false);  // [Float32Array [2, 0]]
 */
export function poolRows(
  hidden: Float32Array,
  size: number,
  width: number,
  lengths: readonly number[],
  pooling: "mean" | "cls",
  normalize: boolean,
): Float32Array[] {
  return lengths.map((length, r) => poolRange(hidden, size, width, r, [0, pooling === "cls" ? Math.min(1, length) : length], normalize));
}

/**
 * Mean-pools the hidden states of one row's tokens `from … to−1` (`hidden` as in `poolRows`), then
 * scales to unit length with `normalize`: a sentence's vector from its passage's forward pass.
 *
 * @example poolRange(Float32Array.of(1, 0, 3, 0, 9, 9), 2, 3, 0, [1, 3], false);  // Float32Array [6, 4.5]
 */
export function poolRange(hidden: Float32Array, size: number, width: number, row: number, [from, to]: TokenRange, normalize: boolean): Float32Array {
  // Sums in double precision, as transformers.js's mean pooling does, then one rounding to float32.
  const sum = new Float64Array(size);
  for (let k = from; k < to; k++) {
    const offset = (row * width + k) * size;
    for (let d = 0; d < size; d++) sum[d]! += hidden[offset + d]!;
  }
  let scale = 1 / Math.max(1, to - from);
  if (normalize) {
    let norm = 0;
    for (let d = 0; d < size; d++) norm += sum[d]! * sum[d]!;
    // A zero vector stays zero rather than becoming NaN.
    scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  }
  const vector = new Float32Array(size);
  for (let d = 0; d < size; d++) vector[d] = sum[d]! * scale;
  return vector;
}
