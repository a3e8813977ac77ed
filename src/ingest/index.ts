/**
 * ingest/: corpus files and web pages → `Article`s, one loader per format.
 *
 *   .txt (seed format or plain) │ .md/.markdown │ .json/.jsonl/.ndjson │ .html/.htm
 *        ──loader──▶ makeArticle (NFC, clean-up, contentHash) ──▶ Article
 *
 * `loadCorpus` walks folders and never throws for a bad file; `ParseSandbox` runs the loaders
 * in a worker thread within a time and memory budget, for documents from outside;
 * `articleToMarkdown` is the format the bot saves new articles in, and reads back unchanged.
 */
export { contentHash, FIELD_LIMITS, makeArticle, reasonOf, type ArticleFields } from "./article";
export { isWalked, loadCorpus, readCorpus, type LoadCorpusOptions, type LoadedCorpus } from "./corpus";
export { parseDate } from "./dates";
export { decodeFileText, MAX_CONTROL_SHARE, unreadableShare } from "./decode";
export type { CorpusFile, ParsedFile, SingleSource } from "./files";
export { LOADERS, loaderFor, type Loader } from "./formats";
export { parseHtmlArticle, idFromSource, type HtmlOptions } from "./html";
export { parseMarkdownArticle, markdownToText, type MarkdownText } from "./markdown";
export {
  isAuthorLine,
  isCaptionLike,
  isTeaserOf,
  shapePlainText,
  stripDateline,
  titleFromText,
  type PlainText,
} from "./plain";
export {
  ArticleRecordSchema,
  parseJsonArticles,
  parseJsonlArticles,
  recordToArticle,
  type ArticleRecord,
} from "./records";
export { parseFileText, runParseJob, type ParseJob, type ParseOutcome } from "./parse-job";
export { DEFAULT_SANDBOX_LIMITS, ParseSandbox, type SandboxLimits } from "./sandbox";
export { parseTextArticle } from "./txt";
export { articleToMarkdown, escapeMarkdown } from "./write";
