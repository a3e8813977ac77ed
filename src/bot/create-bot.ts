import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, BotError, GrammyError, HttpError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Config } from "../config";
import type { Logger } from "../logger";
import { accessControl } from "./access";
import { AnswerContexts, DEFAULT_CONTEXT_CAPACITY } from "./answer-contexts";
import { contextConstructor, type BotAdmin, type BotContext, type BotService, type FeatureDeps } from "./context";
import { adminFeature } from "./features/admin";
import { askFeature } from "./features/ask";
import { inlineFeature } from "./features/inline";
import { notFoundFeature } from "./features/not-found";
import { pagingFeature } from "./features/paging";
import { searchFeature } from "./features/search";
import { sourceFeature } from "./features/source";
import { startFeature } from "./features/start";
import { unhandledFeature } from "./features/unhandled";
import { PROGRESS_EDIT_INTERVAL_MS } from "./progress-message";
import { rateLimits } from "./rate-limit";

export interface CreateBotOptions {
  config: Config;
  logger: Logger;
  service: BotService;
  /** Skips the `getMe` call at start (tests, fast restarts). */
  botInfo?: UserFromGetMe;
  /** Answers whose buttons stay usable (LRU); older buttons say "expired, ask again". */
  contextCapacity?: number;
  /** The admin features (`/reindex`, `/add`, uploads, …); without it the bot only answers. */
  admin?: BotAdmin;
  /** At least this long between two edits of a re-index progress message (ms); tests use 0. */
  progressEditIntervalMs?: number;
  /** The time (ms since the epoch), for how long an answer can be followed up; tests move it. */
  clock?: () => number;
}

/** 429 and 5xx are retried this many times, waiting at most this long each (seconds). */
const RETRY = { maxRetryAttempts: 5, maxDelaySeconds: 60 };

/**
 * The Telegram bot: a thin adapter over the answering service. Nothing happens until it is run
 * (see `runBot`); nothing is read from the environment here.
 *
 * @example
 * const service = await QaService.open({ config, logger });
 * const admin = await AdminService.create({ service, logger });
 * const bot = createBot({ config, logger, service, admin });
 * await registerCommands(bot, { adminIds: config.telegram.adminIds, adminCommands: adminCommands() });
 * const running = await runBot({ bot, config, logger });
 */
export function createBot({
  config,
  logger,
  service,
  botInfo,
  contextCapacity = DEFAULT_CONTEXT_CAPACITY,
  admin,
  progressEditIntervalMs = PROGRESS_EDIT_INTERVAL_MS,
  clock = Date.now,
}: CreateBotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(config.telegram.token, {
    client: { apiRoot: config.telegram.apiRoot },
    ContextConstructor: contextConstructor(logger),
    ...(botInfo ? { botInfo } : {}),
  });
  // Waits out Telegram's flood limits (429 retry_after) and retries 5xx and network errors.
  bot.api.config.use(autoRetry(RETRY));

  const deps: FeatureDeps = { config, service, contexts: new AnswerContexts(contextCapacity, clock), clock };

  // 1. Per-chat ordering: updates of one chat are handled one after another (the runner is
  //    concurrent across chats). Inline queries have no chat and are never held back.
  bot.use(sequentialize((ctx: BotContext) => (ctx.chat ? String(ctx.chat.id) : undefined)));
  // 2. One log line per update: handler, latency, sources. Errors are logged by bot.catch.
  bot.use(async (ctx, next) => {
    const started = performance.now();
    await next();
    ctx.logger.info(
      { handler: ctx.meta.handler, latency_ms: Math.round(performance.now() - started), ...(ctx.meta.sources !== undefined ? { sources: ctx.meta.sources } : {}) },
      "update handled",
    );
  });
  // 3. Who may use the bot, then how often.
  bot.use(accessControl(config.telegram));
  bot.use(rateLimits(config.telegram));
  // 4. Features. Commands before free text, so "/start" is never taken for a question.
  bot.use(startFeature(deps)); //      /start /help /about
  bot.use(searchFeature(deps)); //     /search (staff view)
  bot.use(sourceFeature(deps)); //     /source and the source / passage buttons
  bot.use(notFoundFeature(deps)); //   the nearest-headline buttons of a not-found reply
  bot.use(pagingFeature(deps)); //     "More results" and "Back"
  bot.use(inlineFeature(deps)); //     @bot question in any chat
  bot.use(askFeature(deps)); //        /ask, private text, group mentions and replies
  // Admin commands and documents: none of the public features takes them, and "unhandled" would
  // answer them as unknown. Only with an admin service (refusals for non-admins included).
  if (admin) bot.use(adminFeature({ ...deps, admin, progressEditIntervalMs })); // /reindex /add /delete … uploads
  bot.use(unhandledFeature()); //      last: answer stray callbacks, hint in private chats

  // The error boundary: one failing update is logged and answered briefly; the bot keeps running.
  bot.catch((error) => handleError(error, logger));
  return bot;
}

async function handleError(error: BotError<BotContext>, logger: Logger): Promise<void> {
  const ctx = error.ctx;
  const log = ctx.logger ?? logger;
  const cause = error.error;
  const details =
    cause instanceof GrammyError
      ? { method: cause.method, error_code: cause.error_code, description: cause.description }
      : cause instanceof HttpError
        ? { http: cause.message }
        : { err: cause };
  log.error({ handler: ctx.meta?.handler, ...details }, "update failed");
  // A short sentence for the person; never the error's text (paths, stack, payloads).
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t.error });
    else if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 0 });
    else if (ctx.chat && ctx.message && (ctx.chat.type === "private" || ctx.meta.handler !== "none")) await ctx.reply(ctx.t.error);
  } catch (replyError) {
    log.warn({ err: replyError }, "could not tell the user about the failure");
  }
}
