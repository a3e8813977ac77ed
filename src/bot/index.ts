export { AnswerContexts, DEFAULT_CONTEXT_CAPACITY, type AnswerContext } from "./answer-contexts";
export { CALLBACK_DATA_MAX_BYTES, decodeCallback, encodeCallback, versionTag, type CallbackAction } from "./callback-data";
export { ADMIN_COMMANDS, adminCommands, publicCommands, registerAdminCommands, registerCommands, type AdminCommands } from "./commands";
export { BotContext, type BotAdmin, type BotService, type FeatureDeps } from "./context";
export { createBot, type CreateBotOptions } from "./create-bot";
export {
  formatAnswer,
  formatArticleView,
  formatInlineQuote,
  formatNotFound,
  formatPassagesPage,
  formatSearchResults,
  formatSourceView,
  MESSAGE_LIMIT,
  splitMessages,
} from "./format";
export { answerHighlighter, escapeHtml, highlight, makeHighlighter, shortenAtBoundary, type Highlighter } from "./html";
export { ALLOWED_UPDATES, runBot, type RunBotOptions, type RunningBot } from "./run";
export { languageOf, uiStrings, type UiStrings } from "./strings";
