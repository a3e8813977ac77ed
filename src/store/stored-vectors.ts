import path from "node:path";
import { cosine } from "../embed/vectors";
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
    /** Per segment, in the version's order. */
    private readonly files: OpenFile[],
    dimensions: number,
  ) {
    this.vector = new Float32Array(dimensions);
    this.bytes = new Uint8Array(this.vector.buffer);
  }

  /** The vector files of a version's segments, in its order. */
  static open(version: string, segments: readonly string[], dimensions: number): StoredVectors {
    return new StoredVectors(
      segments.map((name) => OpenFile.open(path.join(version, name, SEGMENT_FILES.vectors))),
      dimensions,
    );
  }

  /** The cosine similarity to `query` of the passage `local` of segment `segment`. */
  cosine(query: Float32Array, segment: number, local: number): number {
    this.files[segment]!.readInto(this.bytes, local * this.bytes.length);
    return cosine(query, this.vector);
  }
}
