import { Context } from "grammy";
import type { AdminService } from "../admin";
import type { QaService } from "../app";
import type { Config } from "../config";
import type { Language } from "../domain/types";
import type { Logger } from "../logger";
import type { AnswerContexts } from "./answer-contexts";
import { languageOf, uiStrings, type UiStrings } from "./strings";

/**
 * What the bot uses of the answering service. A structural subset of `QaService`, so tests can
 * wrap a real service (e.g. one whose answer fails once) without a mock of everything.
 */
export type BotService = Pick<QaService, "askWithEvidence" | "search" | "status" | "index">;

/**
 * What the bot uses of the admin service: the operations behind the admin commands, the audit log
 * (for what the bot itself refuses before calling them) and the answering service (`/reload`).
 * Structural, like `BotService`, so tests can wrap a real one (e.g. to inject a crash).
 */
export type BotAdmin = Pick<
  AdminService,
  | "isAdmin"
  | "addUrl"
  | "addUpload"
  | "deleteArticle"
  | "undeleteArticle"
  | "reindex"
  | "listFeeds"
  | "addFeed"
  | "removeFeed"
  | "stats"
  | "audit"
  | "service"
>;

/** Dependencies every feature receives; nothing is read from globals. */
export interface FeatureDeps {
  config: Config;
  service: BotService;
  contexts: AnswerContexts;
  /** The time (ms since the epoch). */
  clock: () => number;
}

/** Filled in by handlers and logged once per update by the logging middleware. */
export interface UpdateMeta {
  /** The feature that handled the update ("ask", "search", …); "none" when nobody did. */
  handler: string;
  /** Sources (citations or passages) in the reply, when it had any. */
  sources?: number;
}

/**
 * The context of every update: grammY's, plus a child logger bound to this update, the user's
 * UI language and strings, and the handling record that is logged when the update is done.
 */
export class BotContext extends Context {
  readonly logger: Logger;
  readonly language: Language;
  readonly t: UiStrings;
  readonly meta: UpdateMeta = { handler: "none" };

  constructor(logger: Logger, ...args: ConstructorParameters<typeof Context>) {
    super(...args);
    const chatId = this.chat?.id;
    // The token is never a field of the logger or the context; only ids are bound.
    this.logger = logger.child({ update_id: this.update.update_id, ...(chatId !== undefined ? { chat_id: chatId } : {}) });
    this.language = languageOf(this.from?.language_code);
    this.t = uiStrings(this.language);
  }
}

/** The `ContextConstructor` for `new Bot(...)`, closing over the process logger. */
export function contextConstructor(logger: Logger) {
  return class extends BotContext {
    constructor(...args: ConstructorParameters<typeof Context>) {
      super(logger, ...args);
    }
  };
}
