/**
 * Settings: the only module that knows about environment variable names.
 * `loadConfig(env)` is pure: `src/bin/*` passes `process.env` (after dotenv), tests pass a literal.
 * Every setting is documented, with its default, in `.env.example`.
 */
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { ConfigError } from "./domain/errors";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off", ""])
  .transform((v) => ["true", "1", "yes", "on"].includes(v));

const idList = z
  .string()
  .transform((v, ctx) => {
    const parts = v.split(/[\s,]+/).filter(Boolean);
    const ids: number[] = [];
    for (const part of parts) {
      const n = Number(part);
      if (!Number.isSafeInteger(n)) {
        ctx.addIssue({ code: "custom", message: `"${part}" is not a numeric Telegram id` });
        return z.NEVER;
      }
      ids.push(n);
    }
    return ids;
  });

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  CORPUS_DIR: z.string().min(1).default("corpus"),
  INDEX_DIR: z.string().min(1).default("embeddings"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  EMBEDDING_MODEL: z.string().min(1).default("Xenova/multilingual-e5-small"),
  EMBEDDING_DTYPE: z.enum(["fp32", "fp16", "q8", "int8", "uint8", "q4"]).default("q8"),
  MODEL_CACHE_DIR: z.string().min(1).default(".cache/models"),
  ALLOW_REMOTE_MODELS: bool.default(true),
  DENSE_RETRIEVAL: z.enum(["auto", "off"]).default("auto"),
  EMBEDDING_THREADS: int(1, 256).default(Math.max(1, os.availableParallelism())),
  EMBEDDING_BATCH_SIZE: int(1, 512).default(16),

  CHUNK_MAX_CHARS: int(200, 8000).default(900),
  CHUNK_OVERLAP_SENTENCES: int(0, 5).default(1),
  HNSW_M: int(4, 128).default(16),
  HNSW_EF_CONSTRUCTION: int(10, 2000).default(200),
  HNSW_EF_SEARCH: int(10, 2000).default(96),
  SEGMENT_ARTICLES: int(1, 10_000_000).default(5_000),
  SEARCH_THREAD: z.enum(["auto", "on", "off"]).default("auto"),

  ANSWER_MAX_SOURCES: int(1, 10).default(3),
  ANSWER_MAX_QUOTES_PER_SOURCE: int(1, 10).default(2),
  ANSWER_MAX_QUOTED_CHARS: int(100, 100_000).default(800),

  TELEGRAM_BOT_TOKEN: z.string().default(""),
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  WEBHOOK_URL: z.union([z.url(), z.literal("")]).default(""),
  WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]*$/, "only A-Z, a-z, 0-9, _ and - are allowed").max(256).default(""),
  WEBHOOK_PORT: int(1, 65535).default(8080),
  ALLOWED_USER_IDS: idList.default([]),
  ALLOWED_CHAT_IDS: idList.default([]),
  ADMIN_IDS: idList.default([]),
  RATE_LIMIT_PER_MINUTE: int(1, 10_000).default(20),

  FETCH_ALLOW_PRIVATE: bool.default(false),
  FETCH_TIMEOUT_SECONDS: int(1, 300).default(15),
  FETCH_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  UPLOAD_MAX_BYTES: int(1024, 20 * 1024 * 1024).default(5 * 1024 * 1024),
  PARSE_TIMEOUT_SECONDS: int(1, 600).default(10),
  PARSE_MEMORY_MB: int(64, 16_384).default(512),
  FEED_POLL_MINUTES: int(1, 7 * 24 * 60).default(30),
});

type Env = z.infer<typeof schema>;

export interface Config {
  corpusDir: string;
  indexDir: string;
  logLevel: Env["LOG_LEVEL"];
  embedding: {
    model: string;
    dtype: Env["EMBEDDING_DTYPE"];
    cacheDir: string;
    allowRemoteModels: boolean;
    /** "off" skips loading a model at all: lexical retrieval only. */
    dense: Env["DENSE_RETRIEVAL"];
    threads: number;
    batchSize: number;
  };
  chunk: { maxChars: number; overlapSentences: number };
  hnsw: { m: number; efConstruction: number; efSearch: number };
  /** The most articles in one segment of a full build: what bounds an ingest's memory (store/build.ts, `SEGMENT_ARTICLES`). */
  segmentArticles: number;
  /**
   * Whether a question's searches run on two threads (whole articles and a share of the passages
   * on the second: store/search-thread.ts): "auto" from `SEARCH_THREAD_MIN_ARTICLES` live articles.
   */
  searchThread: Env["SEARCH_THREAD"];
  /** `maxQuotedChars`: characters of quotes that further quotes may take a reply to (the first is always shown). */
  answer: { maxSources: number; maxQuotesPerSource: number; maxQuotedChars: number };
  telegram: {
    token: string;
    apiRoot: string;
    webhookUrl: string;
    webhookSecret: string;
    webhookPort: number;
    allowedUserIds: number[];
    allowedChatIds: number[];
    adminIds: number[];
    rateLimitPerMinute: number;
  };
  fetch: { allowPrivate: boolean; timeoutSeconds: number; maxBytes: number };
  uploadMaxBytes: number;
  /** Budget of one parse of an untrusted document in the parse worker (see ingest/sandbox.ts). */
  parse: { timeoutSeconds: number; memoryMb: number };
  feedPollMinutes: number;
}

/**
 * Validates the environment and returns typed settings.
 * Empty strings count as "not set", so a copied `.env.example` works as it is.
 * @throws ConfigError listing every invalid variable with the reason.
 */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const present = Object.fromEntries(
    Object.keys(schema.shape)
      .map((key) => [key, env[key]?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(settings)"}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.WEBHOOK_URL && !e.WEBHOOK_SECRET) {
    problems.push("WEBHOOK_SECRET: required with WEBHOOK_URL, so that only Telegram can post updates");
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const resolve = (p: string) => path.resolve(cwd, p);
  return {
    corpusDir: resolve(e.CORPUS_DIR),
    indexDir: resolve(e.INDEX_DIR),
    logLevel: e.LOG_LEVEL,
    embedding: {
      model: e.EMBEDDING_MODEL,
      dtype: e.EMBEDDING_DTYPE,
      cacheDir: resolve(e.MODEL_CACHE_DIR),
      allowRemoteModels: e.ALLOW_REMOTE_MODELS,
      dense: e.DENSE_RETRIEVAL,
      threads: e.EMBEDDING_THREADS,
      batchSize: e.EMBEDDING_BATCH_SIZE,
    },
    chunk: { maxChars: e.CHUNK_MAX_CHARS, overlapSentences: e.CHUNK_OVERLAP_SENTENCES },
    hnsw: { m: e.HNSW_M, efConstruction: e.HNSW_EF_CONSTRUCTION, efSearch: e.HNSW_EF_SEARCH },
    segmentArticles: e.SEGMENT_ARTICLES,
    searchThread: e.SEARCH_THREAD,
    answer: { maxSources: e.ANSWER_MAX_SOURCES, maxQuotesPerSource: e.ANSWER_MAX_QUOTES_PER_SOURCE, maxQuotedChars: e.ANSWER_MAX_QUOTED_CHARS },
    telegram: {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
      webhookUrl: e.WEBHOOK_URL,
      webhookSecret: e.WEBHOOK_SECRET,
      webhookPort: e.WEBHOOK_PORT,
      allowedUserIds: e.ALLOWED_USER_IDS,
      allowedChatIds: e.ALLOWED_CHAT_IDS,
      adminIds: e.ADMIN_IDS,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    },
    fetch: {
      allowPrivate: e.FETCH_ALLOW_PRIVATE,
      timeoutSeconds: e.FETCH_TIMEOUT_SECONDS,
      maxBytes: e.FETCH_MAX_BYTES,
    },
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    parse: { timeoutSeconds: e.PARSE_TIMEOUT_SECONDS, memoryMb: e.PARSE_MEMORY_MB },
    feedPollMinutes: e.FEED_POLL_MINUTES,
  };
}
