/**
 * The Bot API methods the fake implements, one handler each, over a {@link FakeTelegramWorld}.
 *
 * A handler returns the method's `result` or throws a {@link BotApiError}. Names are matched
 * case-insensitively, as Telegram matches them. Anything not listed here is answered by the
 * server's fallback (recorded as unknown, `result: true`).
 */
import type { BotCommand, Chat, Document, InlineKeyboardMarkup, Message, MenuButton } from "grammy/types";
import { isUploadedFile, type Params } from "./fake-bot-api-http";
import {
  badRequest,
  BotApiError,
  captionText,
  checkInlineResults,
  type FormattedText,
  inlineKeyboardOf,
  LIMITS,
  messageText,
} from "./fake-bot-api-rules";
import type { FakeTelegramWorld, StoredFile } from "./fake-bot-api-world";

export type MethodHandler = (params: Params, signal: AbortSignal) => unknown;

export interface MethodOptions {
  /** How long a callback or inline query can be answered, ms. Telegram: about 15 minutes. */
  queryMaxAgeMs: number;
}

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

const MIME_TYPES: Record<string, string> = {
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".html": "text/html",
  ".htm": "text/html",
  ".csv": "text/csv",
  ".json": "application/json",
  ".pdf": "application/pdf",
  ".zip": "application/zip",
  ".xml": "application/xml",
};

const QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid";

/** The handlers, keyed by lower-case method name. */
export function createMethods(world: FakeTelegramWorld, options: MethodOptions): Map<string, MethodHandler> {
  const bot = world.botInfo;
  /** How the bot appears as a message's sender: getMe's extra capability fields are not part of it. */
  const sender = { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };

  // --- parameter readers: Telegram's wording for missing or wrong parameters

  const integer = (params: Params, name: string): number | undefined => {
    const value = params[name];
    if (value === undefined || value === null || value === "") return undefined;
    const n = typeof value === "number" ? value : Number(value);
    if (!Number.isSafeInteger(n)) throw badRequest(`invalid ${name} specified`);
    return n;
  };
  const requiredInteger = (params: Params, name: string): number => {
    const n = integer(params, name);
    if (n === undefined) throw badRequest(`${name} is empty`);
    return n;
  };
  const chatOf = (params: Params): Chat => {
    const raw = params.chat_id;
    if (raw === undefined || raw === null || raw === "") throw badRequest("chat_id is empty");
    const id = typeof raw === "string" && raw.startsWith("@") ? raw : requiredInteger(params, "chat_id");
    const chat = world.chatById(id);
    if (chat === undefined) throw badRequest("chat not found");
    return chat;
  };
  const ownMessage = (params: Params, notFound: string): Message => {
    const chat = chatOf(params);
    const messageId = integer(params, "message_id");
    if (messageId === undefined) throw badRequest("message identifier is not specified");
    const message = world.message(chat.id, messageId);
    if (message === undefined) throw badRequest(notFound);
    if (message.from?.id !== bot.id) throw badRequest("message can't be edited");
    return message;
  };
  const openQuery = (id: unknown, kind: "callback_query" | "inline_query"): void => {
    const query = typeof id === "string" ? world.queries.get(id) : undefined;
    const expired = query === undefined || world.now() - query.createdAt > options.queryMaxAgeMs;
    if (expired || query.kind !== kind || query.answered) throw badRequest(QUERY_TOO_OLD);
    query.answered = true;
  };

  // --- building what the bot sends

  const withText = (message: Message, formatted: FormattedText, field: "text" | "caption"): Message => {
    const next: Message = { ...message };
    delete next.text;
    delete next.entities;
    delete next.caption;
    delete next.caption_entities;
    if (field === "text") {
      next.text = formatted.text;
      if (formatted.entities.length > 0) next.entities = formatted.entities;
    } else if (formatted.text !== "") {
      next.caption = formatted.text;
      if (formatted.entities.length > 0) next.caption_entities = formatted.entities;
    }
    return next;
  };
  const withMarkup = (message: Message, markup: InlineKeyboardMarkup | undefined): Message => {
    const next: Message = { ...message };
    delete next.reply_markup;
    if (markup !== undefined) next.reply_markup = markup;
    return next;
  };
  /** A new message from the bot, with its reply target resolved (checked before an id is used). */
  const outgoing = (params: Params, chat: Chat): Message => {
    const reply = params.reply_parameters as { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
    const replyTo = integer({ id: reply?.message_id ?? params.reply_to_message_id }, "id");
    const target = replyTo === undefined ? undefined : world.message(chat.id, replyTo);
    const lenient = reply?.allow_sending_without_reply === true || params.allow_sending_without_reply === true;
    if (replyTo !== undefined && target === undefined && !lenient) throw badRequest("message to be replied not found");

    const message: Message = { message_id: world.nextMessageId(chat.id), from: sender, chat, date: world.date() };
    // Telegram does not nest replies: the replied-to message comes without its own reply_to_message.
    if (target !== undefined) message.reply_to_message = { ...target, reply_to_message: undefined };
    return message;
  };
  const fileOf = (params: Params, field: "document"): StoredFile => {
    const value = params[field];
    if (isUploadedFile(value)) {
      const extension = /\.[A-Za-z0-9]+$/.exec(value.fileName)?.[0]?.toLowerCase() ?? "";
      const declared = value.mimeType === "application/octet-stream" ? undefined : value.mimeType;
      return world.storeFile(value.fileName, declared ?? MIME_TYPES[extension] ?? "application/octet-stream", value.content);
    }
    if (typeof value === "string" && value !== "") {
      const known = world.file(value);
      if (known !== undefined) return known;
      throw badRequest("wrong file identifier/HTTP URL specified");
    }
    throw badRequest(`there is no ${field} in the request`);
  };

  const methods: Record<string, MethodHandler> = {
    getMe: () => bot,

    getUpdates: (params, signal) => {
      if (world.webhookUrl !== "") {
        throw new BotApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      }
      const allowed = params.allowed_updates;
      return world.updates.getUpdates(
        {
          offset: integer(params, "offset"),
          limit: integer(params, "limit"),
          timeout: integer(params, "timeout"),
          allowed_updates: Array.isArray(allowed) ? allowed.map(String) : undefined,
        },
        signal,
      );
    },

    // Stored only: the fake never calls a webhook, but getUpdates then answers 409 as Telegram does.
    setWebhook: (params) => {
      if (typeof params.url !== "string") throw badRequest("url is empty");
      if (params.drop_pending_updates === true) world.updates.dropPending();
      world.webhookUrl = params.url;
      return true;
    },
    deleteWebhook: (params) => {
      if (params.drop_pending_updates === true) world.updates.dropPending();
      world.webhookUrl = "";
      return true;
    },
    getWebhookInfo: () => ({
      url: world.webhookUrl,
      has_custom_certificate: false,
      pending_update_count: world.updates.unconfirmed().length,
    }),

    setMyCommands: (params) => {
      const commands = params.commands;
      if (!Array.isArray(commands)) throw badRequest("commands must be an Array of BotCommand");
      if (commands.length > 100) throw badRequest("too many commands; at most 100 are allowed");
      for (const entry of commands as Array<Partial<BotCommand>>) {
        if (typeof entry.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(entry.command)) {
          throw badRequest("BOT_COMMAND_INVALID");
        }
        const description = typeof entry.description === "string" ? entry.description.trim() : "";
        if (description.length < 1 || description.length > 256) {
          throw badRequest(`command description must be 1-256 characters (command "${entry.command}")`);
        }
      }
      world.commands.set(commandsKey(params), commands as BotCommand[]);
      return true;
    },
    getMyCommands: (params) => world.commands.get(commandsKey(params)) ?? [],
    deleteMyCommands: (params) => {
      world.commands.delete(commandsKey(params));
      return true;
    },

    setChatMenuButton: (params) => {
      const key = params.chat_id === undefined ? "default" : String(chatOf(params).id);
      world.menuButtons.set(key, (params.menu_button as MenuButton | undefined) ?? { type: "default" });
      return true;
    },
    getChatMenuButton: (params) => {
      const key = params.chat_id === undefined ? "default" : String(chatOf(params).id);
      return world.menuButtons.get(key) ?? world.menuButtons.get("default") ?? { type: "commands" };
    },

    sendMessage: (params) => {
      const chat = chatOf(params);
      const formatted = messageText(params.text, params.parse_mode, params.entities);
      const markup = inlineKeyboardOf(params.reply_markup);
      const message = withMarkup(withText(outgoing(params, chat), formatted, "text"), markup);
      world.storeMessage(message);
      return message;
    },

    editMessageText: (params) => {
      const formatted = messageText(params.text, params.parse_mode, params.entities);
      const markup = inlineKeyboardOf(params.reply_markup);
      if (typeof params.inline_message_id === "string") return true;
      const old = ownMessage(params, "message to edit not found");
      if (old.text === undefined) throw badRequest("there is no text in the message to edit");
      // Without reply_markup, an edit removes the inline keyboard: Telegram does the same.
      const next = withMarkup(withText(old, formatted, "text"), markup);
      return saveEdit(old, next);
    },

    editMessageReplyMarkup: (params) => {
      const markup = inlineKeyboardOf(params.reply_markup);
      if (typeof params.inline_message_id === "string") return true;
      const old = ownMessage(params, "message to edit not found");
      return saveEdit(old, withMarkup(old, markup));
    },

    deleteMessage: (params) => {
      const chat = chatOf(params);
      const messageId = requiredInteger(params, "message_id");
      if (!world.deleteMessage(chat.id, messageId)) throw badRequest("message to delete not found");
      return true;
    },

    answerCallbackQuery: (params) => {
      if (typeof params.text === "string" && params.text.length > LIMITS.callbackAnswerText) {
        throw badRequest("MESSAGE_TOO_LONG");
      }
      openQuery(params.callback_query_id, "callback_query");
      return true;
    },

    answerInlineQuery: (params) => {
      checkInlineResults(params.results);
      openQuery(params.inline_query_id, "inline_query");
      return true;
    },

    sendChatAction: (params) => {
      chatOf(params);
      if (typeof params.action !== "string" || !CHAT_ACTIONS.has(params.action)) {
        throw badRequest("wrong parameter action in request");
      }
      return true;
    },

    sendDocument: (params) => {
      const chat = chatOf(params);
      const formatted = captionText(params.caption, params.parse_mode, params.caption_entities);
      const markup = inlineKeyboardOf(params.reply_markup);
      const file = fileOf(params, "document");
      const document: Document = {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_name: file.fileName,
        mime_type: file.mimeType,
        file_size: file.content.length,
      };
      const message = withMarkup(withText({ ...outgoing(params, chat), document }, formatted, "caption"), markup);
      world.storeMessage(message);
      return message;
    },

    getFile: (params) => {
      const file = typeof params.file_id === "string" ? world.file(params.file_id) : undefined;
      if (file === undefined) throw badRequest("invalid file_id");
      return {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: file.content.length,
        file_path: file.file_path,
      };
    },
  };

  function saveEdit(old: Message, next: Message): Message {
    const same =
      canonical([old.text, old.entities ?? [], old.reply_markup]) ===
      canonical([next.text, next.entities ?? [], next.reply_markup]);
    if (same) {
      throw badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    const edited: Message = { ...next, edit_date: world.date() };
    world.storeMessage(edited);
    return edited;
  }

  return new Map(Object.entries(methods).map(([name, handler]) => [name.toLowerCase(), handler]));
}

/** Commands are stored per scope and language, as Telegram stores them. */
function commandsKey(params: Params): string {
  const scope = params.scope ?? { type: "default" };
  const language = typeof params.language_code === "string" ? params.language_code : "";
  return canonical({ scope, language });
}

/** JSON with sorted keys, so equal values compare equal whatever order the client wrote them in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
