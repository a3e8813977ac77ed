import { Composer } from "grammy";
import type { BotContext, FeatureDeps } from "../context";
import { replyHtml, withTyping } from "../conversation";
import { formatSearchResults } from "../format";

/**
 * `/search <query>`: the staff view for checking a fact. The top passages exactly as retrieved,
 * with their fused, lexical and dense scores, article ids and offsets; no summarising.
 */
export function searchFeature(deps: FeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("search", async (ctx) => {
    ctx.meta.handler = "search";
    const query = ctx.match.trim();
    if (!query) {
      await replyHtml(ctx, ctx.t.searchUsage);
      return;
    }
    ctx.logger.debug({ query }, "search");
    const hits = await withTyping(ctx, () => deps.service.search(query));
    ctx.meta.sources = hits.length;
    for (const text of formatSearchResults(query, hits, ctx.language)) await replyHtml(ctx, text);
  });
  return composer;
}
