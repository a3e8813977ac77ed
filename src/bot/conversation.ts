/**
 * Helpers the features share: sending HTML, editing a screen in place, the typing indicator,
 * and turning a button press into its answer context (or a polite "expired").
 */
import { GrammyError, type InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import type { AnswerContext } from "./answer-contexts";
import { decodeCallback, versionTag, type CallbackAction } from "./callback-data";
import type { BotContext, FeatureDeps } from "./context";
import type { View } from "./views";

/** Every message is Telegram HTML; previews of the many source links would bury the answer. */
export const HTML = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;

/** Telegram shows "typing…" for 5 seconds; renew a little before it fades. */
const TYPING_RENEW_MS = 4000;

/** Sends HTML; in a group it replies to the message that asked, so the thread stays readable. */
export async function replyHtml(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<Message.TextMessage> {
  const inGroup = ctx.chat?.type !== "private" && ctx.msg?.message_id !== undefined;
  return ctx.reply(text, {
    ...HTML,
    ...(keyboard ? { reply_markup: keyboard } : {}),
    ...(inGroup ? { reply_parameters: { message_id: ctx.msg!.message_id, allow_sending_without_reply: true } } : {}),
  });
}

/** Replaces the pressed message with a view. Pressing the same button twice is not an error. */
export async function editView(ctx: BotContext, view: View): Promise<void> {
  try {
    await ctx.editMessageText(view.text, { ...HTML, ...(view.keyboard ? { reply_markup: view.keyboard } : {}) });
  } catch (error) {
    if (error instanceof GrammyError && error.description.includes("message is not modified")) return;
    throw error;
  }
}

/**
 * Replaces the text of a message the bot sent (a progress message), outside of a button press.
 * An edit to the same text is not an error.
 */
export async function editHtml(ctx: BotContext, message: Pick<Message, "chat" | "message_id">, text: string): Promise<void> {
  try {
    await ctx.api.editMessageText(message.chat.id, message.message_id, text, HTML);
  } catch (error) {
    if (error instanceof GrammyError && error.description.includes("message is not modified")) return;
    throw error;
  }
}

/** Shows "typing…" while `work` runs. A failing chat action never fails the answer. */
export async function withTyping<T>(ctx: BotContext, work: () => Promise<T>): Promise<T> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return work();
  const typing = () =>
    ctx.api.sendChatAction(chatId, "typing").catch((error: unknown) => ctx.logger.debug({ err: error }, "typing indicator failed"));
  await typing();
  const timer = setInterval(() => void typing(), TYPING_RENEW_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** The version tag of the index in service: what new buttons carry and old buttons are checked against. */
export function currentTag(deps: FeatureDeps): string {
  return versionTag(deps.service.index.version);
}

/**
 * The action and answer context a button stands for. When the button is from before a re-index,
 * from an answer no longer kept, from another chat, or not ours at all, the callback query is
 * answered with "expired, please ask again" and null is returned.
 */
export async function resolvePress(
  ctx: BotContext,
  deps: FeatureDeps,
): Promise<{ action: CallbackAction; context: AnswerContext; tag: string } | null> {
  const action = decodeCallback(ctx.callbackQuery?.data ?? "");
  const tag = currentTag(deps);
  const context = action && action.version === tag ? deps.contexts.get(action.context) : undefined;
  const chatId = ctx.callbackQuery?.message?.chat.id ?? null;
  if (!action || !context || context.version !== deps.service.index.version || (context.chatId !== null && context.chatId !== chatId)) {
    ctx.logger.info({ data: ctx.callbackQuery?.data, known: !!context }, "expired button pressed");
    await ctx.answerCallbackQuery({ text: ctx.t.expired, show_alert: false });
    return null;
  }
  return { action, context, tag };
}

/**
 * Handles a button press that shows a screen in place: checks the button (see `resolvePress`),
 * renders the screen, edits the message, answers the callback query. A screen that no longer
 * exists (a page past the end) counts as expired.
 */
export async function showInPlace(
  ctx: BotContext,
  deps: FeatureDeps,
  render: (press: { action: CallbackAction; context: AnswerContext; tag: string }) => View | null,
): Promise<void> {
  const press = await resolvePress(ctx, deps);
  if (!press) return;
  const view = render(press);
  if (!view) {
    await ctx.answerCallbackQuery({ text: ctx.t.expired });
    return;
  }
  await editView(ctx, view);
  await ctx.answerCallbackQuery();
}
