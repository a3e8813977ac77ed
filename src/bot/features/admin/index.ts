import { Composer } from "grammy";
import { ADMIN_COMMANDS } from "../../commands";
import type { BotContext } from "../../context";
import { replyHtml } from "../../conversation";
import { corpusFeature, firstWord } from "./corpus";
import { feedsFeature } from "./feeds";
import { reindexFeature } from "./reindex";
import { audit, type AdminDeps } from "./shared";
import { statsFeature } from "./stats";

export type { AdminDeps } from "./shared";

/**
 * The admin features, for `ADMIN_IDS` only: `/reindex`, `/add`, document uploads, `/delete`,
 * `/undelete`, `/feeds`, `/stats`, `/reload`.
 *
 * Anyone else is refused here, before anything is read, fetched or downloaded (the admin service
 * refuses them too: two locks), and the attempt is audited. The refusal is one short sentence in
 * a private chat; in a group the bot stays quiet, so it cannot be made to spam it.
 */
export function adminFeature(deps: AdminDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const isAdmin = (ctx: BotContext) => ctx.from !== undefined && deps.admin.isAdmin(ctx.from.id);

  const strangers = composer.filter((ctx) => !isAdmin(ctx));
  for (const command of ADMIN_COMMANDS) {
    strangers.command(command, (ctx) => refuse(ctx, deps, command, firstWord(ctx.match)));
  }
  strangers.chatType("private").on("message:document", (ctx) => refuse(ctx, deps, "upload", ctx.message.document.file_name ?? ""));

  const admins = composer.filter(isAdmin);
  admins.use(reindexFeature(deps)); // /reindex [full]
  admins.use(corpusFeature(deps)); //  /add, uploads, /delete, /undelete
  admins.use(feedsFeature(deps)); //   /feeds [add <url> | remove <n>]
  admins.use(statsFeature(deps)); //   /stats, /reload
  return composer;
}

async function refuse(ctx: BotContext, deps: AdminDeps, action: string, target: string): Promise<void> {
  ctx.meta.handler = "admin:refused";
  ctx.logger.info({ user_id: ctx.from?.id, action }, "refused: not an admin");
  await audit(deps, ctx, { action, ...(target ? { target: target.slice(0, 300) } : {}), result: "refused", detail: "not-admin" });
  if (ctx.chat?.type === "private") await replyHtml(ctx, ctx.t.admin.notAdmin);
}
