/**
 * Writes an ONNX model file with its weights streamed to disk.
 *
 * Why not `ModelProto.encode(...)` of the whole model: protobufjs builds the message in memory and
 * then copies it into one buffer, so a 470 MB model costs the weights twice over plus the output.
 * Here the graph's structure (nodes, inputs, outputs) is encoded by onnx-proto, and each weight
 * tensor is appended as an `initializer` field whose `raw_data` bytes are written chunk by chunk
 * as they are produced (e.g. one block of dequantised rows at a time). Protobuf allows a message's
 * fields in any order and repeated fields spread out, so the result is a plain ONNX file.
 */
import { open } from "node:fs/promises";
import { createRequire } from "node:module";
import type { onnx as Onnx } from "onnx-proto";

// onnx-proto is CommonJS with a single `module.exports` object that Node's ESM loader cannot split
// into named exports; require() keeps both the runtime value and the types (as in the tests' tiny model).
export const { onnx } = createRequire(import.meta.url)("onnx-proto") as typeof import("onnx-proto");

/** A weight tensor whose bytes are produced on demand, in order, `byteLength` in total. */
export interface StreamedTensor {
  name: string;
  /** `onnx.TensorProto.DataType` (FLOAT, INT8, UINT8, INT64, …). */
  dataType: number;
  dims: number[];
  byteLength: number;
  /** Little-endian raw data, in pieces; their lengths must add up to `byteLength`. */
  chunks(): Iterable<Uint8Array>;
}

/** A tensor already in memory, as a {@link StreamedTensor}. */
export function tensorOf(
  name: string,
  dataType: number,
  dims: number[],
  values: Float32Array | Int8Array | Uint8Array | BigInt64Array,
): StreamedTensor {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return { name, dataType, dims, byteLength: bytes.length, chunks: () => [bytes] };
}

/**
 * Writes `model` (whose graph must not hold initializers) plus `initializers` to `file`.
 * Peak memory is the graph structure plus whatever one chunk of one tensor needs.
 */
export async function writeOnnxModel(
  file: string,
  model: Onnx.IModelProto,
  initializers: readonly StreamedTensor[],
): Promise<void> {
  const { graph, ...rest } = model;
  if (!graph) throw new Error("the model has no graph");
  if (graph.initializer?.length) throw new Error("pass the weights as initializers, not inside the graph");
  const head = onnx.ModelProto.encode(onnx.ModelProto.fromObject(rest)).finish();
  const graphHead = onnx.GraphProto.encode(onnx.GraphProto.fromObject(graph)).finish();

  const entries = initializers.map((t) => {
    // The tensor's fields except raw_data, then raw_data's tag and length; the bytes follow.
    const fields = onnx.TensorProto.encode(
      onnx.TensorProto.fromObject({ name: t.name, dataType: t.dataType, dims: t.dims }),
    ).finish();
    const tensorHead = concat([fields, key(RAW_DATA, LENGTH_DELIMITED), varint(t.byteLength)]);
    const tensorLength = tensorHead.length + t.byteLength;
    return { t, head: concat([key(INITIALIZER, LENGTH_DELIMITED), varint(tensorLength), tensorHead]) };
  });
  const graphLength = entries.reduce((sum, e) => sum + e.head.length + e.t.byteLength, graphHead.length);

  const handle = await open(file, "w");
  try {
    await handle.write(concat([head, key(GRAPH, LENGTH_DELIMITED), varint(graphLength), graphHead]));
    for (const { t, head: entryHead } of entries) {
      await handle.write(entryHead);
      let written = 0;
      for (const chunk of t.chunks()) {
        await handle.write(chunk);
        written += chunk.length;
      }
      if (written !== t.byteLength) {
        throw new Error(`tensor ${t.name}: ${written} bytes produced, ${t.byteLength} announced`);
      }
    }
  } finally {
    await handle.close();
  }
}

// Field numbers from onnx.proto: ModelProto.graph = 7, GraphProto.initializer = 5, TensorProto.raw_data = 9.
const GRAPH = 7;
const INITIALIZER = 5;
const RAW_DATA = 9;
const LENGTH_DELIMITED = 2;

function key(field: number, wireType: number): Uint8Array {
  return varint(field * 8 + wireType);
}

/** Unsigned LEB128; arithmetic, not bit operations, so lengths above 2³¹ stay right. */
export function varint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot encode ${value} as a varint`);
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) + 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
