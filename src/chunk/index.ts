export { chunkArticle, chunkText, DEFAULT_CHUNK_OPTIONS, titledText, type ChunkOptions } from "./chunker";
export { splitSentences } from "./sentences";
