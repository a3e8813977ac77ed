import { Composer } from "grammy";
import { SOURCE_DATA, versionTag } from "../callback-data";
import type { BotContext, FeatureDeps } from "../context";
import { replyHtml, showInPlace } from "../conversation";
import { formatArticleView } from "../format";
import { echoInput } from "../html";
import { citationView, passageView } from "../views";

/**
 * Opening sources. The buttons under an answer (a citation, or a further passage from "More
 * results") replace the message with the paragraphs around the quote, quote in bold, with title,
 * date, author and link, and a "Back" button. `/source <n>` sends citation [n] of the chat's last
 * answer as a new message; `/source <article id>` sends the article's header and lead.
 */
export function sourceFeature(deps: FeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const lookup = (id: string) => deps.service.index.article(id);

  composer.command("source", async (ctx) => {
    ctx.meta.handler = "source";
    const arg = ctx.match.trim().replace(/^\[(\d+)\]$/, "$1");
    if (!arg) {
      await replyHtml(ctx, ctx.t.sourceUsage);
      return;
    }
    const version = deps.service.index.version;
    if (/^\d{1,3}$/.test(arg) && ctx.chat) {
      const latest = deps.contexts.latestFor(ctx.chat.id);
      const view = latest && latest.version === version ? citationView(latest, versionTag(version), Number(arg), 0, lookup) : null;
      if (view) {
        ctx.meta.sources = 1;
        await replyHtml(ctx, view.text);
        return;
      }
    }
    // Not a citation of the last answer: maybe an article id (ids can be numeric too).
    const article = lookup(arg);
    if (article) {
      ctx.meta.sources = 1;
      await replyHtml(ctx, formatArticleView(article, ctx.language));
      return;
    }
    await replyHtml(ctx, ctx.t.noSuchSource(echoInput(arg)));
  });

  composer.callbackQuery(SOURCE_DATA, async (ctx) => {
    ctx.meta.handler = "source";
    await showInPlace(ctx, deps, ({ action, context, tag }) =>
      action.kind === "source"
        ? citationView(context, tag, action.n, action.from, lookup)
        : action.kind === "passage"
          ? passageView(context, tag, action.index, action.from)
          : null,
    );
  });

  return composer;
}
