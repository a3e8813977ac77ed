export { buildIndex, nextCapacity, type BuildOptions, type BuildProgress, type BuildSummary } from "./build";
export { CorpusIndex } from "./corpus-index";
export { acquireBuildLock, LOCK_FILE } from "./build-lock";
export { currentVersion, loadIndex, readManifest, saveIndex, sweepLeftovers, type IndexContents, type LoadOptions } from "./disk";
export { LexicalIndex, type LexicalHit, type TermQuery } from "./lexical";
export { FORMAT_VERSION, type Manifest, type ModelStamp } from "./manifest";
export { DEFAULT_HNSW, VectorIndex, type HnswParams, type VectorHit } from "./vector-index";
export { Vocabulary } from "./vocabulary";
export { HnswDocumentStore } from "./langchain";
