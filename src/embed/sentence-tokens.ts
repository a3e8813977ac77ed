/**
 * Where each sentence of a passage stands among the passage's token ids, so that its vector can be
 * pooled from the passage's own forward pass ("late chunking", see `Encoder.runWithRanges`).
 *
 * The tokenizer gives no offsets, so the passage is also tokenised piece by piece: the text before
 * the first sentence (prefix and title), each sentence, and whatever stands between them that is
 * not whitespace. e5's tokenizer (XLM-R's) splits on whitespace before its Unigram model
 * (Metaspace), so the pieces' ids, concatenated between the special tokens, are the passage's ids
 * whenever every piece boundary is a whitespace boundary. That is checked, never assumed: when the
 * concatenation differs, the passage has no sentence ranges. They add up for 1,265 of 1,286
 * passages of the news and xquad-vi index (every 10th; eval/sentence-vectors.ts --alignment 10).
 * The passage itself is always run with its own ids, so its vector is the one it always was.
 */
import type { Span } from "../domain/types";
import type { TokenRange } from "./encoder";

/** A passage as embedded (prefix not included), with its sentences as offsets into `text`. */
export interface PassageWithSentences {
  text: string;
  sentences: readonly Span[];
}

/** A passage's vector and each of its sentences' (null: none could be pooled for it). */
export interface PassageVectors {
  vector: Float32Array;
  sentences: Array<Float32Array | null>;
}

/** A passage's text cut at its sentences: pieces in order, each with the sentence it is (−1: none). */
export function passagePieces(passage: PassageWithSentences): Array<{ text: string; sentence: number }> {
  const pieces: Array<{ text: string; sentence: number }> = [];
  let at = 0;
  passage.sentences.forEach((span, i) => {
    if (span.start > at) pieces.push({ text: passage.text.slice(at, span.start), sentence: -1 });
    pieces.push({ text: passage.text.slice(span.start, span.end), sentence: i });
    at = Math.max(at, span.end);
  });
  if (at < passage.text.length) pieces.push({ text: passage.text.slice(at), sentence: -1 });
  return pieces;
}

/**
 * Each sentence's token range in `whole` (the passage's ids, special tokens included, perhaps cut
 * at the model's window), from the ids of its pieces tokenised apart without special tokens
 * (`pieceIds[k]` for `pieces[k]`; whitespace pieces may be empty). Null when the concatenation is
 * not `whole`; a sentence cut off by the window, or of no tokens, has a null range.
 *
 * @example
 *   sentenceRanges([0, 5, 6, 7, 2], [[5], [6, 7]], [-1, 0], 1, { bos: [0], eos: [2] });  // [[2, 4]]
 */
export function sentenceRanges(
  whole: readonly number[],
  pieceIds: readonly (readonly number[])[],
  pieceSentences: readonly number[],
  sentenceCount: number,
  special: { bos: readonly number[]; eos: readonly number[] },
): Array<TokenRange | null> | null {
  const ranges: Array<TokenRange | null> = new Array(sentenceCount).fill(null);
  let at = 0;
  const matches = (ids: readonly number[]): boolean => {
    for (const id of ids) {
      // Past the window: the rest was cut, as the passage's own ids were.
      if (at >= whole.length) return true;
      if (whole[at] !== id) return false;
      at++;
    }
    return true;
  };
  if (!matches(special.bos)) return null;
  for (let k = 0; k < pieceIds.length; k++) {
    const from = at;
    if (!matches(pieceIds[k]!)) return null;
    const sentence = pieceSentences[k]!;
    // A sentence reaching the end of `whole` was cut by the window (the closing token comes after a
    // whole passage): its vector would be of a part of it.
    if (sentence >= 0 && at > from && at < whole.length) ranges[sentence] = [from, at];
  }
  if (!matches(special.eos) || at !== whole.length) return null;
  return ranges;
}
