import { limit } from "@grammyjs/ratelimiter";
import { Composer } from "grammy";
import type { Config } from "../config";
import { isAddressedToBot } from "./addressing";
import type { BotContext } from "./context";
import { replyHtml } from "./conversation";

/** The window `RATE_LIMIT_PER_MINUTE` counts in. */
const WINDOW_MS = 60_000;

/**
 * Per-user rate limits (`@grammyjs/ratelimiter`, in memory).
 *
 * - Messages meant for the bot (see `isAddressedToBot`) count; group chatter does not. The first
 *   message over the limit gets a friendly reply; later ones in the same window are dropped silently.
 * - Inline queries count separately (clients send one per keystroke pause) and every refused one is
 *   answered with no results, so the client does not wait.
 * - Button presses are cheap (no retrieval) and are not limited: each must be answered anyway.
 */
export function rateLimits(telegram: Config["telegram"]): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.use(
    limit<BotContext, never>({
      timeFrame: WINDOW_MS,
      limit: telegram.rateLimitPerMinute,
      keyPrefix: "message:",
      keyGenerator: (ctx) => (ctx.from && ctx.message && isAddressedToBot(ctx.message, ctx.me) ? String(ctx.from.id) : undefined),
      onLimitExceeded: async (ctx) => {
        ctx.meta.handler = "rate-limited";
        ctx.logger.info({ user_id: ctx.from?.id }, "rate limited");
        await replyHtml(ctx, ctx.t.rateLimited);
      },
    }),
  );
  composer.use(
    limit<BotContext, never>({
      timeFrame: WINDOW_MS,
      limit: telegram.rateLimitPerMinute * 3,
      keyPrefix: "inline:",
      alwaysReply: true,
      keyGenerator: (ctx) => (ctx.inlineQuery ? String(ctx.inlineQuery.from.id) : undefined),
      onLimitExceeded: async (ctx) => {
        ctx.meta.handler = "rate-limited";
        await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
      },
    }),
  );
  return composer;
}
