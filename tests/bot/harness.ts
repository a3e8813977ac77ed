/**
 * A running bot for end-to-end tests: the real grammY client, runner and plugins against the fake
 * Bot API over HTTP on 127.0.0.1, answering from a real `QaService` over a tiny Vietnamese corpus.
 */
import { Writable } from "node:stream";
import type { Bot } from "grammy";
import type { Message } from "grammy/types";
import { QaService } from "../../src/app";
import { createBot, runBot, type BotAdmin, type BotContext, type BotService, type RunningBot } from "../../src/bot";
import { loadConfig, type Config } from "../../src/config";
import type { Article } from "../../src/domain/types";
import { createLogger, silentLogger, type Logger } from "../../src/logger";
import { SMALL_CORPUS, testArticle } from "../helpers/articles";
import { startFakeBotApi, type Call, type FakeBotApi } from "../helpers/fake-bot-api";
import { buildTestIndex } from "../helpers/small-index";
import { parseTelegramHtml } from "../helpers/telegram-html";

const PROVINCES = ["Đồng Tháp", "Cần Thơ", "Kiên Giang", "Long An", "Sóc Trăng", "Hậu Giang"];

/**
 * The small shared corpus plus six short rice-market articles: a question about the price of rice
 * is answered from "lua-gao" and leaves the others for "More results" (three pages).
 */
export const BOT_CORPUS: Article[] = [
  ...SMALL_CORPUS,
  ...PROVINCES.map((p, i) =>
    testArticle({
      id: `lua-${i}`,
      title: `Thị trường lúa gạo ở ${p}`,
      publishedAt: `2024-0${i + 1}-05`,
      url: `https://example.vn/lua-${i}`,
      author: "Phóng viên & cộng tác viên",
      body:
        `Tại ${p}, giá lúa tuần này dao động quanh ${7000 + i * 100} đồng mỗi ký.\n` +
        `Thương lái ${p} cho biết nhu cầu thu mua ${i % 2 ? "tăng" : "giảm"} nhẹ so với tháng trước.`,
    }),
  ),
];

/** Answered from "lua-gao" ([1], with a URL); nine further passages. */
export const RICE_QUESTION = "Giá lúa ở An Giang là bao nhiêu?";
export const NOT_FOUND_QUESTION = "Công thức nấu phở bò Nam Định như thế nào?";

const LONG_WORDS = (
  "nông dân cán bộ khuyến nông hợp tác xã thuỷ lợi kênh mương cống đập ruộng vườn cây trái giống mới phân bón thời tiết " +
  "mùa khô gió chướng triều cường nước ngọt bơm trữ ao hồ chính quyền địa phương hỗ trợ kinh phí vay vốn ngân hàng " +
  "chuyển đổi cơ cấu nuôi tôm trồng dừa sản lượng năng suất thu nhập đời sống khó khăn"
).split(" ");

const LONG_PLACES = ["Bến Tre", "Trà Vinh", "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Kiên Giang", "Tiền Giang", "Long An"];

/**
 * Six articles of eight ~550-character sentences each, all about salt intrusion, worded
 * differently (a seeded shuffle) so that none is collapsed as a near-duplicate of another. Each
 * sentence of an article names another place: eight answers to "where", which a reader allowed
 * ten quotes per source is shown, more than one message holds.
 */
export function longCorpus(): Article[] {
  return LONG_PLACES.slice(0, 6).map((place, a) => {
    let seed = a + 1;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const words = (n: number) => Array.from({ length: n }, () => LONG_WORDS[Math.floor(next() * LONG_WORDS.length)]).join(" ");
    return testArticle({
      id: `han-${a}`,
      title: `Hạn mặn ở ${place}`,
      publishedAt: `2024-02-0${a + 1}`,
      url: `https://example.vn/han-${a}`,
      body: Array.from({ length: 8 }, (_, i) => `Xâm nhập mặn trên sông Mê Kông lấn sâu vào ${LONG_PLACES[(a + i) % 8]}, ${words(100)}.`).join("\n"),
    });
  });
}
export const LONG_QUESTION = "Xâm nhập mặn trên sông Mê Kông lấn sâu vào đâu?";

/** A QaService over `articles`, lexical only, with an index in a temporary folder. */
export async function openService(
  articles: Article[] = BOT_CORPUS,
  env: Record<string, string> = {},
): Promise<{ service: QaService; config: Config; dir: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await buildTestIndex(articles);
  const config = loadConfig({ CORPUS_DIR: dir, INDEX_DIR: dir, DENSE_RETRIEVAL: "off", ...env });
  const service = await QaService.open({ config, logger: silentLogger, embedder: null, denseOffReason: "test" });
  return { service, config, dir, cleanup };
}

export interface Harness {
  api: FakeBotApi;
  config: Config;
  bot: Bot<BotContext>;
  running: RunningBot;
  /** Stops the bot, then the fake. */
  close(): Promise<void>;
}

/**
 * Starts the fake Bot API and the bot (long polling) against it. Admin tests pass a fake API they
 * started themselves and the config the admin service was built with (its token and API root).
 */
export async function startBot(options: {
  service: BotService;
  env?: Record<string, string>;
  contextCapacity?: number;
  logger?: Logger;
  api?: FakeBotApi;
  config?: Config;
  admin?: BotAdmin;
  progressEditIntervalMs?: number;
  clock?: () => number;
}): Promise<Harness> {
  const api = options.api ?? (await startFakeBotApi());
  const config =
    options.config ??
    loadConfig({
      DENSE_RETRIEVAL: "off",
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      ...options.env,
    });
  const logger = options.logger ?? silentLogger;
  const bot = createBot({
    config,
    logger,
    service: options.service,
    ...(options.contextCapacity ? { contextCapacity: options.contextCapacity } : {}),
    ...(options.admin ? { admin: options.admin } : {}),
    ...(options.progressEditIntervalMs !== undefined ? { progressEditIntervalMs: options.progressEditIntervalMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const running = await runBot({ bot, config, logger, pollTimeoutSeconds: 1 });
  return {
    api,
    config,
    bot,
    running,
    close: async () => {
      await running.stop();
      await api.close();
    },
  };
}

/** A logger that keeps its JSON lines, to check what is (and is not) logged. */
export function memoryLogger(level = "debug"): { logger: Logger; lines: () => Array<Record<string, unknown>>; raw: () => string } {
  let raw = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw += String(chunk);
      done();
    },
  });
  const logger = createLogger(level, stream as never);
  return {
    logger,
    raw: () => raw,
    lines: () =>
      raw
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** The call succeeded and returned a message. */
export function sentMessage(call: Call): Message {
  if (call.response?.ok !== true) throw new Error(`${call.method} failed: ${JSON.stringify(call.response)}`);
  return call.response.result as Message;
}

/** A successful sendMessage (optionally to one chat), since the last pushed update. */
export function isSent(chatId?: number) {
  return (c: Call) => c.method === "sendMessage" && c.response?.ok === true && (chatId === undefined || c.params.chat_id === chatId);
}

/** A successful call to `method`. */
export function answered(method: string) {
  return (c: Call) => c.method === method && c.response?.ok === true;
}

/** Visible text of a bot message's HTML. */
export function visible(call: Call): string {
  return parseTelegramHtml(String(call.params.text)).text;
}

/** Texts and callback data of the inline buttons a call sent. */
export function buttons(call: Call): Array<{ text: string; data: string }> {
  const markup = call.params.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data ?? "" }));
}

/** The visible text of each blockquote of an HTML message. */
/** The visible text of each blockquote, without the " [n]" that ends an answer's quote. */
export function blockquotes(html: string): string[] {
  const { text, entities } = parseTelegramHtml(html);
  return entities.filter((e) => e.type === "blockquote").map((e) => text.slice(e.offset, e.offset + e.length).replace(/ \[\d+\]$/, ""));
}
