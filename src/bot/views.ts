/**
 * The screens of one answer and their buttons: the answer itself (page 0), the "More results"
 * pages, a source opened in place, a suggested headline. Each screen is one message of at most
 * 4,096 characters, so any of them can replace another by `editMessageText`.
 */
import { InlineKeyboard } from "grammy";
import type { Article } from "../domain/types";
import type { AnswerContext } from "./answer-contexts";
import { encodeCallback } from "./callback-data";
import {
  buttonLabel,
  formatAnswer,
  formatArticleView,
  formatNotFound,
  formatPassagesPage,
  formatSourceView,
} from "./format";
import { answerHighlighter } from "./html";
import { uiStrings } from "./strings";

/** Further passages per "More results" page. */
export const PAGE_SIZE = 3;

export interface View {
  text: string;
  keyboard: InlineKeyboard | undefined;
}

/** Looks an article up in the index version the context belongs to. */
export type ArticleLookup = (id: string) => Article | undefined;

export function pageCount(context: AnswerContext): number {
  return Math.ceil(context.extra.length / PAGE_SIZE);
}

/**
 * The answer as sent: one or more messages, the keyboard on the last one (source buttons,
 * "More results"), or the not-found sentence with the nearest headlines as buttons.
 */
export function answerMessages(context: AnswerContext, tag: string): { messages: string[]; keyboard: InlineKeyboard | undefined } {
  const { answer, language } = context;
  if (answer.notFound) {
    const keyboard = new InlineKeyboard();
    answer.suggestions.forEach((s, index) =>
      keyboard.text(buttonLabel("📰", s.title), encodeCallback({ kind: "headline", version: tag, context: context.id, index })).row(),
    );
    return { messages: [formatNotFound(answer, language)], keyboard: answer.suggestions.length > 0 ? keyboard : undefined };
  }
  const keyboard = new InlineKeyboard();
  for (const c of answer.citations) {
    keyboard.text(buttonLabel(`[${c.n}]`, c.title), encodeCallback({ kind: "source", version: tag, context: context.id, n: c.n, from: 0 })).row();
  }
  if (context.extra.length > 0) {
    keyboard.text(uiStrings(language).moreResults, encodeCallback({ kind: "view", version: tag, context: context.id, page: 1 }));
  }
  return { messages: formatAnswer(answer, language), keyboard };
}

/** Page 0 is the message that carries the keyboard (the last of the answer); pages 1… are passages. */
export function pageView(context: AnswerContext, tag: string, page: number): View | null {
  if (page === 0) {
    const { messages, keyboard } = answerMessages(context, tag);
    return { text: messages.at(-1)!, keyboard };
  }
  const pages = pageCount(context);
  if (page < 1 || page > pages) return null;
  const t = uiStrings(context.language);
  const first = (page - 1) * PAGE_SIZE;
  const hits = context.extra.slice(first, first + PAGE_SIZE);
  const text = formatPassagesPage({ hits, firstNumber: first + 1, page, pages }, answerHighlighter(context.answer), context.language);
  const keyboard = new InlineKeyboard();
  hits.forEach((hit, i) => {
    const index = first + i;
    keyboard.text(buttonLabel(`${index + 1}.`, hit.article.title), encodeCallback({ kind: "passage", version: tag, context: context.id, index, from: page })).row();
  });
  keyboard.text(t.back, encodeCallback({ kind: "view", version: tag, context: context.id, page: 0 }));
  if (page < pages) keyboard.text(t.moreResults, encodeCallback({ kind: "view", version: tag, context: context.id, page: page + 1 }));
  return { text, keyboard };
}

/** Citation [n] opened in place: the paragraphs around its quotes, quotes in bold. */
export function citationView(context: AnswerContext, tag: string, n: number, from: number, lookup: ArticleLookup): View | null {
  const citation = context.answer.citations.find((c) => c.n === n);
  const article = citation && lookup(citation.articleId);
  if (!citation || !article) return null;
  const text = formatSourceView({ article, bold: citation.quotes.map(({ start, end }) => ({ start, end })) }, context.language);
  return { text, keyboard: backKeyboard(context, tag, from) };
}

/** A further passage opened in place: its paragraphs, the matched terms in bold. */
export function passageView(context: AnswerContext, tag: string, index: number, from: number): View | null {
  const hit = context.extra[index];
  if (!hit) return null;
  const text = formatSourceView(
    { article: hit.article, bold: [], around: [{ start: hit.chunk.start, end: hit.chunk.end }], highlighter: answerHighlighter(context.answer) },
    context.language,
  );
  return { text, keyboard: backKeyboard(context, tag, from) };
}

/** A suggested headline of a not-found answer: the article's header and lead. */
export function headlineView(context: AnswerContext, tag: string, index: number, lookup: ArticleLookup): View | null {
  const suggestion = context.answer.suggestions[index];
  const article = suggestion && lookup(suggestion.articleId);
  if (!article) return null;
  return { text: formatArticleView(article, context.language), keyboard: backKeyboard(context, tag, 0) };
}

function backKeyboard(context: AnswerContext, tag: string, page: number): InlineKeyboard {
  return new InlineKeyboard().text(uiStrings(context.language).back, encodeCallback({ kind: "view", version: tag, context: context.id, page }));
}
