import { Composer, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import type { AdminResult, ReindexSummary } from "../../../admin";
import type { BuildProgress } from "../../../store";
import { formatNotDone, formatProgress, formatProgressEnd, formatReindexBusy, formatReindexFailure, formatReindexSummary } from "../../admin-format";
import type { BotContext } from "../../context";
import { editHtml, HTML, replyHtml } from "../../conversation";
import { BuildSpeed, ThrottledMessage } from "../../progress-message";
import { actorOf, type AdminDeps } from "./shared";

/** The confirmation button of a `/reindex full` that was refused for removing most of the index. */
export const CONFIRM_REMOVALS_DATA = "rx:full";

/**
 * `/reindex` (changed articles) and `/reindex full` (everything). The reply is a progress message
 * edited as the build goes (phase, articles done/total, passages/s, time left; throttled), then
 * the summary as a new message below it, so the admin is notified. The bot keeps answering from
 * the index in service meanwhile; the new one is switched in by the service when complete.
 *
 * The handler returns as soon as the re-index has started: the admin's chat stays free (questions,
 * and a second `/reindex`, which is told that one is running and how far it is).
 *
 * A re-index that would remove more than half of the indexed articles is refused (a corpus folder
 * emptied or moved by mistake must not empty the index readers are served). After `/reindex full`
 * the refusal carries a confirmation button; pressing it runs the full re-index with the removals
 * allowed. The button is removed when pressed, so it confirms once.
 */
export function reindexFeature(deps: AdminDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("reindex", async (ctx) => {
    ctx.meta.handler = "admin:reindex";
    const arg = ctx.match.trim().toLowerCase();
    if (arg !== "" && arg !== "full") {
      await replyHtml(ctx, ctx.t.admin.reindexUsage);
      return;
    }
    await startReindex(ctx, deps, { full: arg === "full", allowRemovals: false });
  });

  composer.callbackQuery(CONFIRM_REMOVALS_DATA, async (ctx) => {
    ctx.meta.handler = "admin:reindex-confirm";
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard() }).catch((error: unknown) =>
      ctx.logger.debug({ err: error }, "could not remove the confirmation button"),
    );
    await startReindex(ctx, deps, { full: true, allowRemovals: true });
  });

  return composer;
}

async function startReindex(ctx: BotContext, deps: AdminDeps, run: { full: boolean; allowRemovals: boolean }): Promise<void> {
  const { full } = run;
  const speed = new BuildSpeed(Date.now());
  let latest: BuildProgress | null = null;
  let message: ThrottledMessage | null = null;
  const render = (progress: BuildProgress | null) => formatProgress({ full, progress, speed: speed.view() }, ctx.language);

  const result = await deps.admin.reindex(actorOf(ctx), {
    full,
    allowRemovals: run.allowRemovals,
    onProgress: (progress) => {
      latest = progress;
      speed.observe(progress);
      message?.update(render(progress));
    },
  });
  if (result.status !== "ok") {
    await replyHtml(ctx, formatNotDone(result, ctx.language));
    return;
  }
  if (result.value.state === "busy") {
    await replyHtml(ctx, formatReindexBusy(result.value.running, Date.now(), ctx.language));
    return;
  }

  // Sent as "waiting" whatever has happened meanwhile, so the first report is always an edit.
  const initialText = render(null);
  const sent = await replyHtml(ctx, initialText);
  message = new ThrottledMessage({
    initialText,
    intervalMs: deps.progressEditIntervalMs,
    edit: (text) => editHtml(ctx, sent, text),
    onError: (error) => ctx.logger.warn({ err: error }, "could not edit the re-index progress message"),
  });
  if (latest) message.update(render(latest));
  void reportWhenDone(ctx, deps, { full, message, sent, done: result.value.done });
}

/** Waits for the re-index, then shows its end in the progress message and sends the summary. */
async function reportWhenDone(
  ctx: BotContext,
  deps: AdminDeps,
  run: { full: boolean; message: ThrottledMessage; sent: Message; done: Promise<AdminResult<ReindexSummary>> },
): Promise<void> {
  const result = await run.done;
  const language = ctx.language;
  try {
    await run.message.finish(formatProgressEnd(run.full, result.status === "ok", language));
    let text =
      result.status === "ok"
        ? formatReindexSummary(result.value, deps.admin.service.config.corpusDir, language)
        : result.status === "error"
          ? formatReindexFailure(result.reason, language)
          : formatNotDone(result, language);
    // Only a full re-index offers to confirm: the refusal of a `/reindex` says to run that.
    const confirm = run.full && result.status === "refused" && result.code === "mass-removal";
    if (confirm) text += `\n\n${ctx.t.admin.confirmRemovals}`;
    await ctx.api.sendMessage(run.sent.chat.id, text, {
      ...HTML,
      reply_parameters: { message_id: run.sent.message_id, allow_sending_without_reply: true },
      ...(confirm ? { reply_markup: new InlineKeyboard().text(ctx.t.admin.confirmRemovalsButton, CONFIRM_REMOVALS_DATA) } : {}),
    });
  } catch (error) {
    // The update was handled long ago: nobody else would hear of this failure.
    ctx.logger.error({ err: error, result: result.status }, "could not send the re-index summary");
  }
}
