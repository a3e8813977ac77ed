import { strings } from "../answer";
import type { Answer, AnswerPart } from "../domain/types";

/** How a terminal shows emphasis: ANSI bold on a terminal, nothing when piped. */
export type Bold = (text: string) => string;
export const ANSI_BOLD: Bold = (text) => `\x1b[1m${text}\x1b[22m`;
const PLAIN: Bold = (text) => text;

/**
 * Renders an answer for a terminal: each quote with its [n] (the words that answer in bold when
 * `bold` is given), then the numbered sources.
 */
export function formatAnswerText(answer: Answer, bold: Bold = PLAIN): string {
  const t = strings(answer.language);
  if (answer.notFound) {
    const lines: string[] = [answer.outdated ? t.outdated(answer.outdated) : t.notFound];
    if (answer.suggestions.length > 0) {
      lines.push("", t.nearest, ...answer.suggestions.map((s) => `  - ${s.title} (${s.publishedAt ?? t.noDate})`));
    }
    return lines.join("\n");
  }
  const sources = answer.citations.map(
    (c) => `[${c.n}] ${c.title} — ${c.publishedAt ?? t.noDate}${c.author ? `, ${c.author}` : ""}\n    ${c.url ?? c.source}`,
  );
  const quotes = answer.parts.map((part) => `“${emphasised(part, bold)}” [${part.citation}]`).join("\n\n");
  const asOf = answer.asOf ? `${t.asOf(answer.asOf)}\n\n` : "";
  return `${asOf}${quotes}\n\n${t.sources}:\n${sources.join("\n")}`;
}

function emphasised(part: AnswerPart, bold: Bold): string {
  const { quote, answerSpan } = part;
  if (!answerSpan) return quote.text;
  const [start, end] = [answerSpan.start - quote.start, answerSpan.end - quote.start];
  return quote.text.slice(0, start) + bold(quote.text.slice(start, end)) + quote.text.slice(end);
}

/** The `--json` shape of `npm run ask`: the Answer plus, per citation, the quote shown for it. */
export function answerToJson(answer: Answer) {
  return {
    ...answer,
    citations: answer.citations.map((c) => ({ ...c, quote: c.quotes.map((q) => q.text).join(" … ") })),
  };
}
