import { Composer } from "grammy";
import { formatFeedAdded, formatFeedRemoved, formatFeeds, formatNotDone } from "../../admin-format";
import type { BotContext } from "../../context";
import { replyHtml, withTyping } from "../../conversation";
import { actorOf, replyResult, type AdminDeps } from "./shared";

/**
 * `/feeds` (the numbered list), `/feeds add <url>` (checked to be a readable RSS/Atom feed first)
 * and `/feeds remove <n>`. The service polls the feeds; articles already taken from a removed
 * feed stay.
 */
export function feedsFeature(deps: AdminDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("feeds", async (ctx) => {
    ctx.meta.handler = "admin:feeds";
    const [sub = "", arg = "", ...rest] = ctx.match.trim().split(/\s+/).filter(Boolean);
    const actor = actorOf(ctx);
    if (sub === "") {
      const result = await deps.admin.listFeeds(actor);
      if (result.status !== "ok") {
        await replyHtml(ctx, formatNotDone(result, ctx.language));
        return;
      }
      for (const text of formatFeeds(result.value, ctx.language)) await replyHtml(ctx, text);
    } else if (sub.toLowerCase() === "add" && arg && rest.length === 0) {
      const result = await withTyping(ctx, () => deps.admin.addFeed(actor, arg));
      await replyResult(ctx, result, (value) => formatFeedAdded(value, ctx.language));
    } else if (sub.toLowerCase() === "remove" && /^\d{1,6}$/.test(arg) && rest.length === 0) {
      const result = await deps.admin.removeFeed(actor, Number(arg));
      await replyResult(ctx, result, (value) => formatFeedRemoved(value.url, ctx.language));
    } else {
      await replyHtml(ctx, ctx.t.admin.feedsUsage);
    }
  });

  return composer;
}
