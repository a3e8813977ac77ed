import type { Actor, AdminResult, AuditEntry } from "../../../admin";
import { formatNotDone } from "../../admin-format";
import type { BotAdmin, BotContext, FeatureDeps } from "../../context";
import { replyHtml } from "../../conversation";

/** What the admin features receive: the usual dependencies and the admin service. */
export interface AdminDeps extends FeatureDeps {
  admin: BotAdmin;
  /** At least this long between two edits of a re-index progress message (ms). */
  progressEditIntervalMs: number;
}

/** The Telegram user behind an update, as the admin service and its audit log know them. */
export function actorOf(ctx: BotContext): Actor {
  const from = ctx.from!; // admin updates are messages, which always have a sender here
  return from.username ? { id: from.id, username: from.username } : { id: from.id };
}

/** Sends the rendered value of an ok result, or the localised refusal or error. */
export async function replyResult<T>(ctx: BotContext, result: AdminResult<T>, render: (value: T) => string): Promise<void> {
  await replyHtml(ctx, result.status === "ok" ? render(result.value) : formatNotDone(result, ctx.language));
}

/**
 * Audits what the bot decides itself, without calling the service: refusals before anything is
 * downloaded (a stranger, a wrong type, an oversized file) and `/reload`. A failing audit log is
 * logged and does not fail the reply.
 */
export async function audit(deps: AdminDeps, ctx: BotContext, entry: Pick<AuditEntry, "action" | "target" | "result" | "detail">): Promise<void> {
  const actor = ctx.from ? actorOf(ctx) : { id: 0 };
  await deps.admin.audit
    .record({ userId: actor.id, ...(actor.username ? { username: actor.username } : {}), ...entry })
    .catch((error: unknown) => ctx.logger.error({ err: error, action: entry.action }, "could not write the audit log"));
}
