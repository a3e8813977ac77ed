export { chunkArticle, chunkText, DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from "./chunker";
export { splitSentences } from "./sentences";
