import type { ChunkOptions } from "../chunk";
import type { HnswParams } from "./vector-index";

/**
 * Bumped whenever the on-disk layout or the spelling of index terms changes (3: one spelling for
 * hoà/hòa and kĩ/kỹ); an index of another version is refused.
 */
export const FORMAT_VERSION = 3;

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
  counts: { articles: number; chunks: number };
  /** Article id → content hash: what an incremental run compares against. */
  articles: Record<string, string>;
}
