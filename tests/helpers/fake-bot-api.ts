/**
 * An in-process fake of the Telegram Bot API, served over HTTP on 127.0.0.1, for end-to-end bot
 * tests with the real grammY client, runner and plugins.
 *
 * Why HTTP and not `bot.handleUpdate`: the runner's long polling, auto-retry's 429 handling,
 * multipart uploads and Telegram's validation (HTML, lengths, button data) only happen on the wire.
 * The fake speaks that wire protocol and enforces the rules a real bot trips over, so a test fails
 * here instead of in production.
 *
 * @example
 * const api = await startFakeBotApi();
 * const bot = new Bot(api.token, { botInfo: api.botInfo, client: { apiRoot: api.apiRoot } });
 * bot.on("message:text", (ctx) => ctx.reply("<b>hi</b>", { parse_mode: "HTML" }));
 * bot.catch(console.error);
 * const runner = run(bot);
 * api.sendText({ chat: privateChat(42), text: "hello" });
 * const reply = await api.waitFor("sendMessage");
 * await runner.stop();
 * await api.close(); // after the runner: a running runner would poll a closed server
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  CallbackQuery,
  Chat,
  InlineKeyboardButton,
  InlineQuery,
  Message,
  MessageEntity,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { type ApiResponse, type Call, CallLog, type WaitForOptions } from "./fake-bot-api-calls";
import { type Params, readParams } from "./fake-bot-api-http";
import { createMethods, type MethodHandler } from "./fake-bot-api-methods";
import { BotApiError, type ResponseParameters } from "./fake-bot-api-rules";
import { FakeTelegramWorld, type StoredFile } from "./fake-bot-api-world";
import { userOfChat } from "./telegram-factories";

export { groupChat, privateChat, user, type UserOptions } from "./telegram-factories";
export type { ApiResponse, Call, WaitForOptions } from "./fake-bot-api-calls";
export type { UploadedFile } from "./fake-bot-api-http";
export type { StoredFile } from "./fake-bot-api-world";

export interface FakeBotApiOptions {
  /** Overrides of the getMe user; the token's numeric part follows `id`. */
  botInfo?: Partial<UserFromGetMe>;
  /** Default `<botInfo.id>:TEST`. */
  token?: string;
  /** How long callback and inline queries stay answerable, ms. Default 15 minutes. */
  queryMaxAgeMs?: number;
  /** The clock for message dates and query ages, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

const DEFAULT_BOT_INFO: UserFromGetMe = {
  id: 123456,
  is_bot: true,
  first_name: "Newsroom Test Bot",
  username: "newsroom_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};
const DEFAULT_QUERY_MAX_AGE_MS = 15 * 60 * 1000;

/** What {@link FakeBotApi.failNext} makes a method do instead of its work. */
export type InjectedFailure =
  | { error_code: number; description: string; parameters?: ResponseParameters }
  /** Destroys the socket without answering: grammY sees an HttpError. */
  | { dropConnection: true };

/** The chats a user can write in: private chats and groups (not channels). */
export type UserChat = Exclude<Chat, Chat.ChannelChat>;

/** Starts a fake Bot API on 127.0.0.1 on a free port. Close it with {@link FakeBotApi.close}. */
export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const api = new FakeBotApi(options);
  await api.listen();
  return api;
}

/**
 * The running fake: connection details for the bot, what the bot did (calls, messages, files),
 * and the user side (updates, button presses, failure injection). Created by {@link startFakeBotApi}.
 */
export class FakeBotApi {
  readonly botInfo: UserFromGetMe;
  readonly token: string;
  /** Methods the fake does not implement, in first-seen order; they were answered `true`. */
  readonly unknownMethods: string[] = [];

  private readonly world: FakeTelegramWorld;
  private readonly methods: Map<string, MethodHandler>;
  private readonly server: Server;
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly log = new CallLog(() => this.apiRoot);
  private readonly inFlight = new Set<Promise<void>>();
  private port = 0;

  constructor(options: FakeBotApiOptions = {}) {
    this.botInfo = { ...DEFAULT_BOT_INFO, ...options.botInfo };
    this.token = options.token ?? `${this.botInfo.id}:TEST`;
    this.world = new FakeTelegramWorld(this.botInfo, options.now ?? Date.now);
    this.methods = createMethods(this.world, { queryMaxAgeMs: options.queryMaxAgeMs ?? DEFAULT_QUERY_MAX_AGE_MS });
    this.server = createServer((req, res) => {
      const handled = this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) reply(res, errorResponse(error));
      });
      this.inFlight.add(handled);
      void handled.finally(() => this.inFlight.delete(handled));
    });
  }

  /** Where grammY should send requests: pass as `client.apiRoot`. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** @internal Use {@link startFakeBotApi}. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  // --- inspecting what the bot did

  /** Every request, in arrival order. */
  get calls(): readonly Call[] {
    return this.log.calls;
  }

  /** Calls to one method (case-insensitive), in order. */
  callsTo(method: string): Call[] {
    return this.log.callsTo(method);
  }

  /**
   * Resolves with the first answered call that matches, made since the last pushed update (see
   * {@link WaitForOptions.since}); rejects after `timeoutMs` (default 5000) listing the calls it saw.
   *
   * @example
   * api.sendText({ chat, text: "/ask flood" });
   * const call = await api.waitFor((c) => c.method === "sendMessage" && c.response?.ok === true);
   */
  waitFor(match: string | ((call: Call) => boolean), options: WaitForOptions = {}): Promise<Call> {
    return this.log.waitFor(match, options);
  }

  /** Messages the bot sent to a chat, as they are now (edits applied, deleted ones gone). */
  sentMessages(chatId: number): Message[] {
    return this.world.messagesIn(chatId).filter((message) => message.from?.id === this.botInfo.id);
  }

  /** A message as it is now, from either side, or undefined if unknown or deleted. */
  message(chatId: number, messageId: number): Message | undefined {
    return this.world.message(chatId, messageId);
  }

  /** A stored file (uploaded by a test or by the bot), with its bytes. */
  file(fileId: string): StoredFile | undefined {
    return this.world.file(fileId);
  }

  // --- shaping what the bot sees

  /** The next `times` calls to `method` fail as given, before doing any work. */
  failNext(method: string, failure: InjectedFailure, times = 1): void {
    const key = method.toLowerCase();
    const queue = this.failures.get(key) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(key, queue);
  }

  /** Lets the bot send to a chat it has not heard from yet (Telegram: "chat not found" otherwise). */
  addChat(chat: Chat): void {
    this.world.rememberChat(chat);
  }

  /**
   * Queues an update (update_id assigned) and wakes the bot's pending long poll. Chats in it become
   * known and messages in it are stored, so the bot can answer and edit them.
   */
  pushUpdate(update: Omit<Update, "update_id">): Update {
    for (const chat of chatsIn(update)) this.world.rememberChat(chat);
    for (const message of [update.message, update.edited_message, update.channel_post, update.edited_channel_post]) {
      if (message !== undefined) this.world.storeMessage(message);
    }
    this.log.markPush();
    return this.world.updates.push(update);
  }

  /**
   * A user writes `text`. Text starting with "/" gets its bot_command entity unless `entities` is
   * given. In a private chat `from` defaults to the chat's user.
   */
  sendText(input: { chat: UserChat; from?: User; text: string; entities?: MessageEntity[] }): Message {
    const from = this.senderIn(input.chat, input.from, "sendText");
    const entities = input.entities ?? commandEntity(input.text);
    const message: Message & Update.NonChannel = { ...this.incoming(input.chat, from), text: input.text };
    if (entities.length > 0) message.entities = entities;
    this.pushUpdate({ message });
    return message;
  }

  /** A user sends a file; getFile and the download URL then serve `content`. */
  uploadDocument(input: {
    chat: UserChat;
    from?: User;
    fileName: string;
    content: Buffer;
    mimeType?: string;
    caption?: string;
  }): Message {
    const from = this.senderIn(input.chat, input.from, "uploadDocument");
    const mimeType = input.mimeType ?? "application/octet-stream";
    const file = this.world.storeFile(input.fileName, mimeType, Buffer.from(input.content));
    const message: Message & Update.NonChannel = {
      ...this.incoming(input.chat, from),
      document: {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_name: file.fileName,
        mime_type: file.mimeType,
        file_size: file.content.length,
      },
    };
    if (input.caption !== undefined) message.caption = input.caption;
    this.pushUpdate({ message });
    return message;
  }

  /**
   * A user presses an inline button of a message the bot sent, found by its `data` or its `text`
   * on the message as it is now; throws if the message no longer shows such a button.
   */
  pressButton(input: {
    message: Pick<Message, "chat" | "message_id">;
    data?: string;
    text?: string;
    from?: User;
  }): CallbackQuery {
    const { chat, message_id } = input.message;
    const current = this.world.message(chat.id, message_id);
    if (current === undefined) {
      throw new Error(`pressButton: message ${message_id} in chat ${chat.id} is unknown or deleted`);
    }
    if (input.data === undefined && input.text === undefined) {
      throw new Error("pressButton: give the button's `data` or `text`");
    }
    const buttons = (current.reply_markup?.inline_keyboard ?? []).flat();
    const button = buttons.find(
      (b): b is InlineKeyboardButton.CallbackButton =>
        "callback_data" in b &&
        (input.data === undefined || b.callback_data === input.data) &&
        (input.text === undefined || b.text === input.text),
    );
    if (button === undefined) {
      const wanted = [
        input.data !== undefined ? `data "${input.data}"` : "",
        input.text !== undefined ? `text "${input.text}"` : "",
      ];
      const shown = buttons.map((b) => `"${b.text}"${"callback_data" in b ? ` (${b.callback_data})` : ""}`).join(", ");
      throw new Error(
        `pressButton: message ${message_id} in chat ${chat.id} has no callback button with ` +
          `${wanted.filter(Boolean).join(" and ")}; it shows: ${shown || "no buttons"}`,
      );
    }
    const query: CallbackQuery = {
      id: this.world.openQuery("callback_query"),
      from: this.senderIn(current.chat, input.from, "pressButton"),
      message: current,
      chat_instance: `instance-${current.chat.id}`,
      data: button.callback_data,
    };
    this.pushUpdate({ callback_query: query });
    return query;
  }

  /** A user types `@bot query` in any chat. */
  inlineQuery(input: { from: User; query: string; offset?: string; chat_type?: InlineQuery["chat_type"] }): InlineQuery {
    const query: InlineQuery = {
      id: this.world.openQuery("inline_query"),
      from: input.from,
      query: input.query,
      offset: input.offset ?? "",
    };
    if (input.chat_type !== undefined) query.chat_type = input.chat_type;
    this.pushUpdate({ inline_query: query });
    return query;
  }

  /** Whether the bot is holding a getUpdates long poll open right now. */
  isPolling(): boolean {
    return this.world.updates.isPolling();
  }

  /**
   * Answers pending long polls with no updates, rejects pending waitFor calls and stops the
   * server. Stop the bot's runner first, or it will keep polling a closed port.
   */
  async close(): Promise<void> {
    this.world.updates.close();
    this.log.rejectWaiters("the fake Bot API was closed while waiting for a call");
    await Promise.all([...this.inFlight]);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // --- the wire

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.apiRoot);
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (download !== null && req.method === "GET") {
      this.serveFile(res, download[1] ?? "", decodeURIComponent(download[2] ?? ""));
      return;
    }
    const route = /^\/bot([^/]+)\/([A-Za-z0-9_]+)$/.exec(url.pathname);
    if (route === null) {
      reply(res, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    const [, token = "", method = ""] = route;

    // A request the client gave up on (the runner stopping) ends its long poll.
    const aborted = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) aborted.abort();
    });

    let params: Params = {};
    let response: ApiResponse;
    try {
      params = await readParams(req, url);
    } catch (error) {
      const call = this.log.record(method, params, this.world.now());
      this.settle(call, res, errorResponse(error));
      return;
    }
    const call = this.log.record(method, params, this.world.now());
    const failure = token === this.token ? this.failures.get(method.toLowerCase())?.shift() : undefined;
    if (token !== this.token) {
      response = { ok: false, error_code: 401, description: "Unauthorized" };
    } else if (failure !== undefined && "dropConnection" in failure) {
      call.dropped = true;
      req.socket.destroy();
      this.log.settled(call);
      return;
    } else if (failure !== undefined) {
      response = { ok: false, ...failure };
    } else {
      response = await this.invoke(method, params, aborted.signal);
    }
    this.settle(call, res, response);
  }

  private async invoke(method: string, params: Params, signal: AbortSignal): Promise<ApiResponse> {
    const handler = this.methods.get(method.toLowerCase());
    if (handler === undefined) {
      if (!this.unknownMethods.includes(method)) this.unknownMethods.push(method);
      return { ok: true, result: true };
    }
    try {
      return { ok: true, result: await handler(params, signal) };
    } catch (error) {
      return errorResponse(error);
    }
  }

  private serveFile(res: ServerResponse, token: string, filePath: string): void {
    const call = this.log.record("file", { file_path: filePath }, this.world.now());
    const file = token === this.token ? this.world.fileByPath(filePath) : undefined;
    if (file === undefined) {
      this.settle(call, res, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    call.response = { ok: true, result: { file_path: filePath, file_size: file.content.length } };
    res.writeHead(200, { "content-type": file.mimeType, "content-length": file.content.length });
    res.end(file.content);
    this.log.settled(call);
  }

  private settle(call: Call, res: ServerResponse, response: ApiResponse): void {
    call.response = response;
    reply(res, response);
    this.log.settled(call);
  }

  private incoming(chat: UserChat, from: User): Message & Update.NonChannel {
    return { message_id: this.world.nextMessageId(chat.id), from, chat, date: this.world.date() };
  }

  private senderIn(chat: Chat, from: User | undefined, helper: string): User {
    if (from !== undefined) return from;
    if (chat.type === "private") return userOfChat(chat);
    throw new Error(`${helper}: give \`from\` for a message in the ${chat.type} chat ${chat.id}`);
  }
}

function errorResponse(error: unknown): ApiResponse {
  if (error instanceof BotApiError) return error.toBody();
  return { ok: false, error_code: 500, description: `Internal Server Error: fake Bot API bug: ${String(error)}` };
}

/** Telegram answers errors with the error code as the HTTP status. */
function reply(res: ServerResponse, body: ApiResponse): void {
  if (res.destroyed) return;
  const status = body.ok ? 200 : body.error_code;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function chatsIn(update: Omit<Update, "update_id">): Chat[] {
  const chats: Chat[] = [];
  for (const value of Object.values(update) as unknown[]) {
    if (typeof value !== "object" || value === null) continue;
    const direct = (value as { chat?: Chat }).chat;
    const nested = (value as { message?: { chat?: Chat } }).message?.chat;
    if (direct !== undefined) chats.push(direct);
    if (nested !== undefined) chats.push(nested);
  }
  return chats;
}

/** Telegram marks a leading "/command" or "/command@bot" as a bot_command entity. */
function commandEntity(text: string): MessageEntity[] {
  const command = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?/.exec(text);
  return command === null ? [] : [{ type: "bot_command", offset: 0, length: command[0].length }];
}
