import { strings } from "../answer";
import type { Answer } from "../domain/types";

/** Renders an answer for a terminal: quotes with [n], then the numbered sources. */
export function formatAnswerText(answer: Answer): string {
  const t = strings(answer.language);
  if (answer.notFound) {
    const lines: string[] = [t.notFound];
    if (answer.suggestions.length > 0) {
      lines.push("", t.nearest, ...answer.suggestions.map((s) => `  - ${s.title} (${s.publishedAt ?? t.noDate})`));
    }
    return lines.join("\n");
  }
  const sources = answer.citations.map(
    (c) => `[${c.n}] ${c.title} — ${c.publishedAt ?? t.noDate}${c.author ? `, ${c.author}` : ""}\n    ${c.url ?? c.source}`,
  );
  return `${answer.text}\n\n${t.sources}:\n${sources.join("\n")}`;
}

/** The `--json` shape of `npm run ask`: the Answer plus, per citation, the quote shown for it. */
export function answerToJson(answer: Answer) {
  return {
    ...answer,
    citations: answer.citations.map((c) => ({ ...c, quote: c.quotes.map((q) => q.text).join(" … ") })),
  };
}
