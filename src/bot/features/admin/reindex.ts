import { Composer } from "grammy";
import type { Message } from "grammy/types";
import type { AdminResult, ReindexSummary } from "../../../admin";
import type { BuildProgress } from "../../../store";
import { formatNotDone, formatProgress, formatProgressEnd, formatReindexBusy, formatReindexFailure, formatReindexSummary } from "../../admin-format";
import type { BotContext } from "../../context";
import { editHtml, HTML, replyHtml } from "../../conversation";
import { BuildSpeed, ThrottledMessage } from "../../progress-message";
import { actorOf, type AdminDeps } from "./shared";

/**
 * `/reindex` (changed articles) and `/reindex full` (everything). The reply is a progress message
 * edited as the build goes (phase, articles done/total, passages/s, time left; throttled), then
 * the summary as a new message below it, so the admin is notified. The bot keeps answering from
 * the index in service meanwhile; the new one is switched in by the service when complete.
 *
 * The handler returns as soon as the re-index has started: the admin's chat stays free (questions,
 * and a second `/reindex`, which is told that one is running and how far it is).
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
    const full = arg === "full";
    const speed = new BuildSpeed(Date.now());
    let latest: BuildProgress | null = null;
    let message: ThrottledMessage | null = null;
    const render = (progress: BuildProgress | null) => formatProgress({ full, progress, speed: speed.view() }, ctx.language);

    const result = await deps.admin.reindex(actorOf(ctx), {
      full,
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
  });

  return composer;
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
    const text =
      result.status === "ok"
        ? formatReindexSummary(result.value, deps.admin.service.config.corpusDir, language)
        : result.status === "error"
          ? formatReindexFailure(result.reason, language)
          : formatNotDone(result, language);
    await ctx.api.sendMessage(run.sent.chat.id, text, {
      ...HTML,
      reply_parameters: { message_id: run.sent.message_id, allow_sending_without_reply: true },
    });
  } catch (error) {
    // The update was handled long ago: nobody else would hear of this failure.
    ctx.logger.error({ err: error, result: result.status }, "could not send the re-index summary");
  }
}
