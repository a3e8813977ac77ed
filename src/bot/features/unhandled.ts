import { Composer } from "grammy";
import type { BotContext } from "../context";

/**
 * Last in the chain: whatever no feature took. Every callback query is answered (a button of an
 * old deployment must not spin forever); in a private chat, an unknown command or a photo gets a
 * hint; in groups the bot stays quiet.
 */
export function unhandledFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on("callback_query", async (ctx) => {
    ctx.meta.handler = "unhandled";
    await ctx.answerCallbackQuery({ text: ctx.t.expired });
  });

  composer.chatType("private").on("message", async (ctx) => {
    ctx.meta.handler = "unhandled";
    const isCommand = ctx.message.entities?.some((e) => e.type === "bot_command" && e.offset === 0) ?? false;
    await ctx.reply(isCommand ? ctx.t.unknownCommand : ctx.t.textOnly, { parse_mode: "HTML" });
  });

  return composer;
}
