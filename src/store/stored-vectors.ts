import path from "node:path";
import { OpenFile } from "./binary-file";
import { SEGMENT_FILES } from "./segment";

/**
 * The passages' vectors as the segments wrote them (`vectors.f32`: little-endian float32, chunks ×
 * dimensions), read one passage at a time at its byte position: the similarity to a question of a
 * passage the vector search did not return (`CorpusIndex.cosineTo`). The HNSW graph holds the same
 * vectors but hands one out only as a JavaScript array (`getPoint`): 150 similarities took 6.9-8.0
 * ms (p50) that way against 0.46-0.50 ms read from the file, side by side on the 13,824-passage
 * index (`bench/vector-reads.bench.ts`); and nothing more is kept in memory.
 */
export class StoredVectors {
  private readonly bytes: Uint8Array;
  private readonly vector: Float32Array;

  private constructor(
    private readonly files: OpenFile[],
    /** Per segment, the slot of its first passage; one more entry: the total. */
    private readonly firstSlots: number[],
    readonly dimensions: number,
  ) {
    this.vector = new Float32Array(dimensions);
    this.bytes = new Uint8Array(this.vector.buffer);
  }

  /** The vectors of a version's segments (folders in slot order, with their passage counts). */
  static open(version: string, segments: Array<{ name: string; passages: number }>, dimensions: number): StoredVectors {
    const firstSlots = [0];
    for (const { passages } of segments) firstSlots.push(firstSlots.at(-1)! + passages);
    return new StoredVectors(
      segments.map(({ name }) => OpenFile.open(path.join(version, name, SEGMENT_FILES.vectors))),
      firstSlots,
      dimensions,
    );
  }

  /** The cosine similarity of the passage in `slot` to `query`. */
  cosine(query: Float32Array, slot: number): number {
    let segment = 0;
    while (slot >= this.firstSlots[segment + 1]!) segment++;
    this.files[segment]!.readInto(this.bytes, (slot - this.firstSlots[segment]!) * this.bytes.length);
    const vector = this.vector;
    let dot = 0;
    let queryNorm = 0;
    let norm = 0;
    for (let i = 0; i < vector.length; i++) {
      dot += query[i]! * vector[i]!;
      queryNorm += query[i]! * query[i]!;
      norm += vector[i]! * vector[i]!;
    }
    return queryNorm > 0 && norm > 0 ? dot / Math.sqrt(queryNorm * norm) : 0;
  }
}
