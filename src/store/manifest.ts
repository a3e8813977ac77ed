import type { ChunkOptions } from "../chunk";
import type { HnswParams } from "./vector-index";

/**
 * Bumped whenever the on-disk layout or the spelling of index terms changes (3: one spelling for
 * hoà/hòa and kĩ/kỹ; 4: a version is segments plus tombstones; 5: binary lexical indexes with
 * sorted term dictionaries); an index of another version is refused.
 */
export const FORMAT_VERSION = 5;

/**
 * The formats whose vectors a build reuses (same model and chunking): a format change that leaves
 * the passages and what was embedded as they were costs a re-index, not a re-embedding.
 */
export const VECTOR_FORMATS: ReadonlySet<number> = new Set([4, 5]);

/** One segment of a version, in order: the passages of segment i come after those of segment i − 1. */
export interface SegmentEntry {
  /** Its folder inside the version folder. */
  name: string;
  articles: number;
  chunks: number;
  /** Of those, tombstoned (deleted or replaced since the segment was written). */
  deadArticles: number;
  deadChunks: number;
}

/** The embedding model an index's vectors came from; vectors of two models never mix. */
export interface ModelStamp {
  id: string;
  dtype: string;
  dimensions: number;
  queryPrefix: string;
  passagePrefix: string;
}

/** `embeddings/<version>/manifest.json`: everything needed to trust and use the files beside it. */
export interface Manifest {
  formatVersion: number;
  /** ISO time the build finished. */
  builtAt: string;
  buildMs: number;
  /** `null` when the index was built without dense vectors (no model could be loaded). */
  model: ModelStamp | null;
  /** Why there are no vectors, when `model` is null. */
  denseOffReason: string | null;
  hnsw: HnswParams & { space: "cosine" };
  chunking: ChunkOptions;
  /** Live articles and passages. */
  counts: { articles: number; chunks: number };
  /** The segments, base first (see disk.ts). */
  segments: SegmentEntry[];
  /**
   * How many of the first segments the last full build wrote (it writes its articles as several:
   * build.ts, `SEGMENT_ARTICLES`); the merge policy weighs the segments after them. Absent in an
   * index written before full builds were split: 1.
   */
  baseSegments?: number;
  /** Article id → content hash: what an incremental run compares against. */
  articles: Record<string, string>;
}
