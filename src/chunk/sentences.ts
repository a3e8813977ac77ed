import type { Span } from "../domain/types";

const segmenter = new Intl.Segmenter("vi", { granularity: "sentence" });

/** A fragment this short ("Ông A.", "TP.") is an abbreviation, not a sentence: it joins the next one. */
const MIN_SENTENCE_CHARS = 12;

/**
 * Splits an article body into sentence spans with Node's ICU sentence rules for Vietnamese.
 *
 * Spans never include surrounding whitespace and never cross a paragraph ("\n"), so a quote
 * is always a run of whole sentences of one paragraph, exactly as printed.
 */
export function splitSentences(body: string): Span[] {
  const spans: Span[] = [];
  let paragraphStart = 0;
  for (const paragraph of body.split("\n")) {
    let pending: Span | null = null;
    for (const { segment, index } of segmenter.segment(paragraph)) {
      const span = trimSpan(paragraph, index, index + segment.length);
      if (span.end <= span.start) continue;
      const absolute = { start: paragraphStart + span.start, end: paragraphStart + span.end };
      if (pending) {
        pending.end = absolute.end;
      } else {
        pending = absolute;
      }
      if (pending.end - pending.start >= MIN_SENTENCE_CHARS) {
        spans.push(pending);
        pending = null;
      }
    }
    if (pending) {
      // A short tail ("Hết.") stays with the sentence before it when that is in this paragraph.
      const last = spans.at(-1);
      if (last && last.start >= paragraphStart) last.end = pending.end;
      else spans.push(pending);
    }
    paragraphStart += paragraph.length + 1;
  }
  return spans;
}

function trimSpan(text: string, start: number, end: number): Span {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return { start, end };
}
