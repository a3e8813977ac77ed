/**
 * How each embedding model wants to be called. The embedder reads the profile; nothing else in the
 * pipeline knows that e5 needs "query: " in front of a question, or that bge-m3 pools the [CLS] token.
 * Getting this wrong does not crash anything, it just quietly ruins retrieval, hence one table.
 */

export interface EmbeddingProfile {
  /** Put in front of a question before embedding it ("" when the model was trained without one). */
  readonly queryPrefix: string;
  /** Put in front of a passage before embedding it. */
  readonly passagePrefix: string;
  /** How token vectors become one text vector: the average over real tokens, or the first token. */
  readonly pooling: "mean" | "cls";
  /**
   * Scale vectors to unit length. Always true for the models below: the store compares vectors by
   * inner product, which is the cosine only for unit vectors.
   */
  readonly normalize: boolean;
  /** Longest input the model was trained on, in tokens (prefix and special tokens included). */
  readonly maxTokens: number;
}

/**
 * For a model not in the table: no prefixes (a wrong prefix hurts more than a missing one), mean
 * pooling (what most sentence-transformers exports use) and a BERT-sized window.
 */
export const DEFAULT_PROFILE: EmbeddingProfile = Object.freeze({
  queryPrefix: "",
  passagePrefix: "",
  pooling: "mean",
  normalize: true,
  maxTokens: 512,
});

const E5: EmbeddingProfile = Object.freeze({
  queryPrefix: "query: ",
  passagePrefix: "passage: ",
  pooling: "mean",
  normalize: true,
  maxTokens: 512,
});

/**
 * Keyed by model name, the part after the last "/", lower-cased: the profile belongs to the model,
 * not to whoever converted it (`Xenova/…`, `intfloat/…`, `onnx-community/…`) or to the folder it
 * was copied into. `maxTokens` follows each model's sentence-transformers `max_seq_length`, which
 * can be shorter than its position table (the paraphrase models were trained on 128 tokens).
 */
const PROFILES: ReadonlyMap<string, EmbeddingProfile> = new Map([
  ["multilingual-e5-small", E5],
  ["multilingual-e5-base", E5],
  ["multilingual-e5-large", E5],
  ["paraphrase-multilingual-minilm-l12-v2", Object.freeze({ ...DEFAULT_PROFILE, maxTokens: 128 })],
  ["paraphrase-multilingual-mpnet-base-v2", Object.freeze({ ...DEFAULT_PROFILE, maxTokens: 128 })],
  ["all-minilm-l6-v2", Object.freeze({ ...DEFAULT_PROFILE, maxTokens: 256 })],
  // bge-m3's dense vector is the normalised [CLS] state; it needs no instruction prefix.
  ["bge-m3", Object.freeze({ ...DEFAULT_PROFILE, pooling: "cls" as const, maxTokens: 8192 })],
]);

/** The name part of a hub id (`Xenova/bge-m3` → `bge-m3`) or the basename of a folder path. */
function modelName(model: string): string {
  const trimmed = model.trim().replace(/[\\/]+$/, "");
  return (trimmed.split(/[\\/]/).pop() ?? trimmed).toLowerCase();
}

/** The profile of a known model (by hub id or folder basename), or `undefined`. */
export function findProfile(model: string): EmbeddingProfile | undefined {
  return PROFILES.get(modelName(model));
}

/**
 * The profile for `model`, a hub id or a local folder path; {@link DEFAULT_PROFILE} when unknown.
 *
 * @example
 *   profileFor("Xenova/multilingual-e5-small").queryPrefix;   // "query: "
 *   profileFor("/srv/models/bge-m3").pooling;                  // "cls"
 */
export function profileFor(model: string): EmbeddingProfile {
  return findProfile(model) ?? DEFAULT_PROFILE;
}
