import { Composer, InlineQueryResultBuilder } from "grammy";
import type { BotContext, FeatureDeps } from "../context";
import { HTML } from "../conversation";
import { formatInlineQuote } from "../format";
import { emphasize, partEmphasis, shortenAtBoundary } from "../html";

/** Telegram shows at most 50 results; a quote picker is useful with far fewer. */
const MAX_RESULTS = 10;
/** Inline answers are cached by Telegram per query text for this long (seconds). */
const CACHE_SECONDS = 60;

/**
 * Inline mode: `@bot question` in any chat offers the answer's quotes as results; choosing one
 * inserts the quote with its source (title linked, date).
 */
export function inlineFeature(deps: FeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("inline_query", async (ctx) => {
    ctx.meta.handler = "inline";
    const question = ctx.inlineQuery.query.trim();
    if (!question) {
      await ctx.answerInlineQuery([], { cache_time: CACHE_SECONDS });
      return;
    }
    ctx.logger.debug({ question }, "inline question");
    // More sources than a chat answer: the reader picks one quote out of the list.
    const { answer } = await deps.service.askWithEvidence(question, { maxSources: 5, maxQuotesPerSource: 2 });
    const results = answer.parts.slice(0, MAX_RESULTS).flatMap((part, i) => {
      const citation = answer.citations.find((c) => c.n === part.citation);
      if (!citation) return [];
      return [
        InlineQueryResultBuilder.article(`q${i}`, shortenAtBoundary(citation.title, 100), {
          description: shortenAtBoundary(part.quote.text.replace(/\s+/g, " "), 160),
        }).text(formatInlineQuote(part.quote.text, citation, (shown) => emphasize(shown, partEmphasis(part)), ctx.language), HTML),
      ];
    });
    ctx.meta.sources = results.length;
    await ctx.answerInlineQuery(results, { cache_time: CACHE_SECONDS });
  });
  return composer;
}
