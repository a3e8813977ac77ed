import type { MiddlewareFn } from "grammy";
import type { Config } from "../config";
import type { BotContext } from "./context";

/**
 * The optional allowlist (`ALLOWED_USER_IDS`, `ALLOWED_CHAT_IDS`). Both empty: everyone. Otherwise
 * an update passes when its user is listed or its chat is (so listing a newsroom group lets all its
 * members ask there); `ADMIN_IDS` always pass (an admin the allowlist forgot could not administer
 * the bot). A refused private message gets one short sentence; a refused button press
 * and inline query are answered (never left spinning); refused group messages get no reply, so the
 * bot cannot be made to spam a group it was added to.
 */
export function accessControl(telegram: Config["telegram"]): MiddlewareFn<BotContext> {
  const users = new Set(telegram.allowedUserIds);
  const chats = new Set(telegram.allowedChatIds);
  if (users.size === 0 && chats.size === 0) return (_ctx, next) => next();
  for (const id of telegram.adminIds) users.add(id);

  return async (ctx, next) => {
    const allowed = (ctx.from !== undefined && users.has(ctx.from.id)) || (ctx.chat !== undefined && chats.has(ctx.chat.id));
    if (allowed) return next();
    ctx.meta.handler = "refused";
    ctx.logger.info({ user_id: ctx.from?.id }, "refused: not on the allowlist");
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t.notAllowed });
    else if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
    else if (ctx.message && ctx.chat?.type === "private") await ctx.reply(ctx.t.notAllowed);
  };
}
