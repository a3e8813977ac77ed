import { Composer } from "grammy";
import type { BotContext, FeatureDeps } from "../context";
import { replyHtml } from "../conversation";
import { formatDate } from "../format";
import { escapeHtml } from "../html";

/** Recent headlines offered as example questions on /start. */
const EXAMPLE_COUNT = 3;

/**
 * `/start` (what the bot knows: articles, date range, examples), `/help` (how to ask, in private
 * chats, groups and inline mode) and `/about` (model, dense on/off, index build time).
 */
export function startFeature(deps: FeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("start", async (ctx) => {
    ctx.meta.handler = "start";
    const status = deps.service.status();
    const t = ctx.t;
    const range =
      status.firstDate && status.lastDate ? t.dateRange(formatDate(status.firstDate, ctx.language), formatDate(status.lastDate, ctx.language)) : "";
    const recent = [...deps.service.index.articles]
      .sort((a, b) => (b.publishedAt ?? "").localeCompare(a.publishedAt ?? ""))
      .slice(0, EXAMPLE_COUNT)
      .map((a) => `• <code>${escapeHtml(a.title)}</code>`);
    const examples = recent.length > 0 ? `\n\n${t.examples}\n${recent.join("\n")}` : "";
    await replyHtml(ctx, t.start(status.articles, range, examples));
  });

  composer.command("help", async (ctx) => {
    ctx.meta.handler = "help";
    await replyHtml(ctx, ctx.t.help.replace("{bot}", escapeHtml(ctx.me.username)));
  });

  composer.command("about", async (ctx) => {
    ctx.meta.handler = "about";
    const s = deps.service.status();
    const t = ctx.t;
    const dense = s.denseOn ? t.denseOn : t.denseOff(escapeHtml(s.denseOffReason ?? "—"));
    await replyHtml(ctx, t.about(escapeHtml(s.model), dense, escapeHtml(s.builtAt), s.articles, s.passages));
  });

  return composer;
}
