import path from "node:path";
import { Composer } from "grammy";
import { describeFailure, UPLOAD_EXTENSIONS, type AdminResult } from "../../../admin";
import type { Language } from "../../../domain/types";
import { formatAdded, formatBytes, formatDeleted, formatNotDone, formatRestored, formatUploaded } from "../../admin-format";
import type { BotContext } from "../../context";
import { replyHtml, withTyping } from "../../conversation";
import { downloadTelegramFile, DownloadTooLargeError } from "../../download";
import { actorOf, audit, replyResult, type AdminDeps } from "./shared";

/**
 * Changing the corpus: `/add <url>`, a document sent to the bot, `/delete <id>`, `/undelete <id>`.
 * Each waits for its re-index and replies with what is now in the index (the typing indicator
 * shows meanwhile); the service refuses what is not allowed and says why.
 *
 * Waiting in the handler keeps the admin's chat in order: a question sent right after `/add` is
 * answered once the article is in. When a `/reindex` is running, the change waits for it: the
 * admin is told so first, instead of watching "typing…" for minutes.
 */
export function corpusFeature(deps: AdminDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("add", async (ctx) => {
    ctx.meta.handler = "admin:add";
    const url = firstWord(ctx.match);
    if (!url) {
      await replyHtml(ctx, ctx.t.admin.addUsage);
      return;
    }
    await noteIfReindexing(ctx, deps);
    const result = await withTyping(ctx, () => deps.admin.addUrl(actorOf(ctx), url));
    await replyResult(ctx, result, (value) => formatAdded(value, ctx.language));
  });

  // Documents only in private chats: a file shared in a group is meant for its members.
  composer.chatType("private").on("message:document", async (ctx) => {
    ctx.meta.handler = "admin:upload";
    const document = ctx.message.document;
    const fileName = document.file_name ?? "";
    const maxBytes = deps.config.uploadMaxBytes;
    const refuse = async (code: "bad-type" | "too-large", detail: string) => {
      await audit(deps, ctx, { action: "upload", target: fileName, result: "refused", detail: code });
      await replyHtml(ctx, formatNotDone({ status: "refused", code, reason: detail }, ctx.language));
    };
    // Checked before downloading: a wrong type or a size over the cap is never fetched.
    if (!(UPLOAD_EXTENSIONS as readonly string[]).includes(path.extname(fileName).toLowerCase())) {
      await refuse("bad-type", "");
      return;
    }
    const tooLarge = (bytes: number) => ctx.t.admin.uploadLimit(formatBytes(bytes, ctx.language), formatBytes(maxBytes, ctx.language));
    if (document.file_size !== undefined && document.file_size > maxBytes) {
      await refuse("too-large", tooLarge(document.file_size));
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = await withTyping(ctx, () => downloadTelegramFile(ctx.api, deps.config.telegram, document.file_id, { maxBytes }));
    } catch (error) {
      if (error instanceof DownloadTooLargeError) {
        await refuse("too-large", tooLarge(error.bytes));
        return;
      }
      // The download's errors never carry its URL (it holds the token): safe to show and log. The
      // admin reads what failed in words ("Telegram refused to hand over the file: file is too
      // big"), not grammY's "Call to 'getFile' failed! (400: …)".
      const reason = describeFailure(error);
      ctx.logger.error({ err: error, file_name: fileName }, "could not download an upload");
      await audit(deps, ctx, { action: "upload", target: fileName, result: "error", detail: reason });
      await replyHtml(ctx, formatNotDone({ status: "error", reason }, ctx.language));
      return;
    }
    await noteIfReindexing(ctx, deps);
    const result = await withTyping(ctx, () => deps.admin.addUpload(actorOf(ctx), fileName, bytes));
    await replyResult(ctx, result, (value) => formatUploaded(value, ctx.language));
  });

  // /delete <id> and /undelete <id>: the same shape, one operation each.
  const byId = <T>(command: "delete" | "undelete", run: (ctx: BotContext, id: string) => Promise<AdminResult<T>>, render: (value: T, language: Language) => string) =>
    composer.command(command, async (ctx) => {
      ctx.meta.handler = `admin:${command}`;
      const id = firstWord(ctx.match);
      if (!id) {
        await replyHtml(ctx, command === "delete" ? ctx.t.admin.deleteUsage : ctx.t.admin.undeleteUsage);
        return;
      }
      await noteIfReindexing(ctx, deps);
      const result = await withTyping(ctx, () => run(ctx, id));
      await replyResult(ctx, result, (value) => render(value, ctx.language));
    });
  byId("delete", (ctx, id) => deps.admin.deleteArticle(actorOf(ctx), id), formatDeleted);
  byId("undelete", (ctx, id) => deps.admin.undeleteArticle(actorOf(ctx), id), (value, language) => formatRestored(value.article, language));

  return composer;
}

/** Corpus changes queue behind a running re-index: say so before the wait. */
async function noteIfReindexing(ctx: BotContext, deps: AdminDeps): Promise<void> {
  if (deps.admin.service.reindexStatus) await replyHtml(ctx, ctx.t.admin.afterReindex);
}

/** The first word of a command's argument ("" when there is none). */
export function firstWord(match: string): string {
  return match.trim().split(/\s+/)[0] ?? "";
}
