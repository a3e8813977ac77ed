import { Composer } from "grammy";
import { formatReloaded, formatReloadFailure, formatStats } from "../../admin-format";
import type { BotContext } from "../../context";
import { replyHtml } from "../../conversation";
import { audit, type AdminDeps } from "./shared";

/**
 * `/stats` (index, model, last ingest, today's questions, latency, not-found rate) and `/reload`
 * (switch to an index that `npm run ingest` rebuilt while the bot runs; the index watcher does the
 * same within seconds, this is for when an admin does not want to wait).
 */
export function statsFeature(deps: AdminDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("stats", async (ctx) => {
    ctx.meta.handler = "admin:stats";
    await replyHtml(ctx, formatStats(await deps.admin.stats(), ctx.language));
  });

  composer.command("reload", async (ctx) => {
    ctx.meta.handler = "admin:reload";
    const service = deps.admin.service;
    // The re-index switches in its own result; loading the disk meanwhile would race it.
    if (service.reindexStatus) {
      await audit(deps, ctx, { action: "reload", result: "refused", detail: "a re-index is running" });
      await replyHtml(ctx, ctx.t.admin.reloadBusy);
      return;
    }
    let switched: boolean;
    try {
      switched = await service.reload();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.logger.error({ err: error }, "could not load the index on disk; keeping the one in service");
      await audit(deps, ctx, { action: "reload", result: "error", detail: reason });
      await replyHtml(ctx, formatReloadFailure(reason, ctx.language));
      return;
    }
    await audit(deps, ctx, { action: "reload", result: "ok", detail: switched ? (service.index.location ?? "switched") : "unchanged" });
    await replyHtml(ctx, switched ? formatReloaded(service.status(), ctx.language) : ctx.t.admin.reloadSame);
  });

  return composer;
}
