/**
 * admin/: what admins change from Telegram, below the bot: the corpus files, feeds, re-indexes.
 *
 *   URL ──fetch-page (SSRF-checked)──▶ HTML ──ingest/parseHtmlArticle──▶ Article
 *       ──corpus-files──▶ corpus/added/<id>.md ──QaService.reindex──▶ new index, swapped in
 *   upload ──loaders (validate first)──▶ corpus/uploads/ │ /delete ──▶ corpus/.trash/
 *   feeds ──poll──▶ like URL │ audit ──▶ logs/audit.jsonl │ watch ──▶ QaService.reload
 *
 * `AdminService` is the entry point the bot uses; the rest is exported for tests and tools.
 */
export {
  AdminService,
  summarise,
  type Actor,
  type AdminResult,
  type AdminServiceOptions,
  type AdminStats,
  type ArticleSummary,
  type RefusalCode,
  type ReindexOptions,
  type ReindexStart,
  type ReindexSummary,
} from "./admin-service";
export { AuditLog, DEFAULT_AUDIT_PATH, type AuditEntry } from "./audit";
export {
  articleIdForUrl,
  CorpusFiles,
  CorpusRefusedError,
  safeUploadName,
  UPLOAD_EXTENSIONS,
  type CorpusFilesOptions,
  type CorpusRefusalCode,
  type SavedFile,
  type SaveState,
} from "./corpus-files";
export {
  FeedPoller,
  FeedStore,
  itemKeys,
  pollFeed,
  readFeed,
  type Feed,
  type FeedPollerOptions,
  type FeedPollResult,
  type ItemKeys,
  type PollDependencies,
  type PollSummary,
} from "./feeds";
export {
  addressProblem,
  FEED_TYPES,
  fetchArticlePage,
  FetchRefusedError,
  fetchText,
  HTML_TYPES,
  type FetchedText,
  type FetchLike,
  type FetchPageOptions,
  type FetchRefusalCode,
  type LookupAll,
} from "./fetch-page";
export { describeFailure } from "./explain";
export { watchIndex, type WatchOptions } from "./watch";
