/**
 * The input rules the Bot API enforces, and the errors it answers with when they are broken.
 *
 * Why here and not in each method: sendMessage, editMessageText, sendDocument captions and inline
 * results all share the text, HTML and keyboard rules, and Telegram words the errors identically.
 * Descriptions copy Telegram's where we know them; where Telegram has none (our stricter checks)
 * they say how to fix the request.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity } from "grammy/types";
import { parseTelegramHtml, TelegramHtmlError } from "./telegram-html";

/** The `parameters` Telegram attaches to some errors. */
export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

/** A failed Bot API response body, exactly as it goes over the wire. */
export interface BotApiErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

/** A request the fake refuses; the server turns it into a {@link BotApiErrorBody}. */
export class BotApiError extends Error {
  override readonly name = "BotApiError";
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(`${error_code}: ${description}`);
  }

  toBody(): BotApiErrorBody {
    const body: BotApiErrorBody = { ok: false, error_code: this.error_code, description: this.description };
    if (this.parameters !== undefined) body.parameters = this.parameters;
    return body;
  }
}

/** 400 "Bad Request: …", by far the most common Telegram error. */
export function badRequest(what: string): BotApiError {
  return new BotApiError(400, `Bad Request: ${what}`);
}

/** Limits from https://core.telegram.org/bots/api, in UTF-16 code units unless named bytes. */
export const LIMITS = {
  messageText: 4096,
  caption: 1024,
  callbackDataBytes: 64,
  callbackAnswerText: 200,
  inlineResults: 50,
  inlineResultIdBytes: 64,
} as const;

/** Visible text and entities after parse_mode is applied and the text is trimmed. */
export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/**
 * Applies `parse_mode` (HTML only; the fake refuses the Markdown modes rather than guess) or takes
 * explicit `entities`, then trims surrounding whitespace as Telegram does, moving entities along.
 */
export function formatText(raw: unknown, parseMode: unknown, entities: unknown): FormattedText {
  const source = raw === undefined || raw === null ? "" : String(raw);
  let parsed: FormattedText;
  if (parseMode === undefined || parseMode === null || parseMode === "") {
    parsed = { text: source, entities: Array.isArray(entities) ? (entities as MessageEntity[]) : [] };
  } else if (parseMode === "HTML") {
    try {
      parsed = parseTelegramHtml(source);
    } catch (error) {
      if (error instanceof TelegramHtmlError) throw badRequest(`can't parse entities: ${error.message}`);
      throw error;
    }
  } else if (parseMode === "Markdown" || parseMode === "MarkdownV2") {
    throw badRequest(`the fake Bot API does not implement parse_mode ${parseMode}; format with HTML`);
  } else {
    throw badRequest(`unsupported parse_mode`);
  }
  return trimFormatted(parsed);
}

/** Telegram drops leading and trailing whitespace (and control characters) from message texts. */
function trimFormatted({ text, entities }: FormattedText): FormattedText {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  if (start === 0 && end === text.length) return { text, entities };
  const moved: MessageEntity[] = [];
  for (const entity of entities) {
    const from = Math.max(entity.offset, start);
    const to = Math.min(entity.offset + entity.length, end);
    if (to > from) moved.push({ ...entity, offset: from - start, length: to - from });
  }
  return { text: text.slice(start, end), entities: moved };
}

/** A message text: 1..4096 visible UTF-16 units. */
export function messageText(raw: unknown, parseMode: unknown, entities: unknown): FormattedText {
  const formatted = formatText(raw, parseMode, entities);
  if (formatted.text.length === 0) throw badRequest("message text is empty");
  if (formatted.text.length > LIMITS.messageText) throw badRequest("message is too long");
  return formatted;
}

/** A media caption: 0..1024 visible UTF-16 units. */
export function captionText(raw: unknown, parseMode: unknown, entities: unknown): FormattedText {
  const formatted = formatText(raw, parseMode, entities);
  if (formatted.text.length > LIMITS.caption) throw badRequest("message caption is too long");
  return formatted;
}

/** The fields of which an inline keyboard button must have exactly one. */
const BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
  "disabled",
] as const;

/**
 * Checks `reply_markup` and returns what a sent message keeps of it: the inline keyboard, if any.
 * Reply keyboards, keyboard removal and force_reply are accepted and not stored, as in Telegram.
 */
export function inlineKeyboardOf(replyMarkup: unknown): InlineKeyboardMarkup | undefined {
  if (replyMarkup === undefined || replyMarkup === null) return undefined;
  if (typeof replyMarkup !== "object") throw badRequest("can't parse reply keyboard markup JSON object");
  if (!("inline_keyboard" in replyMarkup)) return undefined;
  const rows = replyMarkup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw badRequest(`field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays`);
  }
  for (const row of rows as unknown[][]) {
    for (const button of row) checkButton(button);
  }
  return { inline_keyboard: rows as InlineKeyboardButton[][] };
}

function checkButton(button: unknown): void {
  if (typeof button !== "object" || button === null) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const fields = button as Record<string, unknown>;
  if (typeof fields.text !== "string") {
    throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
  }
  const actions = BUTTON_ACTIONS.filter((action) => fields[action] !== undefined && fields[action] !== null);
  if (actions.length === 0) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  if (actions.length > 1) {
    throw badRequest(
      `can't parse inline keyboard button: a button must have exactly one of ${BUTTON_ACTIONS.join(", ")}; ` +
        `"${fields.text}" has ${actions.join(" and ")}`,
    );
  }
  if (actions[0] === "callback_data") {
    const data = fields.callback_data;
    const bytes = typeof data === "string" ? Buffer.byteLength(data, "utf8") : 0;
    if (bytes < 1 || bytes > LIMITS.callbackDataBytes) throw badRequest("BUTTON_DATA_INVALID");
  }
  if (actions[0] === "url" && !isButtonUrl(fields.url)) throw badRequest("BUTTON_URL_INVALID");
}

function isButtonUrl(url: unknown): boolean {
  if (typeof url !== "string") return false;
  try {
    return ["http:", "https:", "tg:"].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** answerInlineQuery's `results`: at most 50, unique ids of 1..64 bytes, valid texts and keyboards. */
export function checkInlineResults(results: unknown): void {
  if (!Array.isArray(results)) throw badRequest("results must be an Array of InlineQueryResult");
  if (results.length > LIMITS.inlineResults) throw badRequest("RESULTS_TOO_MUCH");
  const ids = new Set<string>();
  for (const result of results as unknown[]) {
    if (typeof result !== "object" || result === null) throw badRequest("can't parse InlineQueryResult");
    const fields = result as Record<string, unknown>;
    const id = fields.id;
    const idBytes = typeof id === "string" ? Buffer.byteLength(id, "utf8") : 0;
    if (idBytes < 1 || idBytes > LIMITS.inlineResultIdBytes) throw badRequest("RESULT_ID_INVALID");
    if (ids.has(id as string)) throw badRequest("RESULT_ID_DUPLICATE");
    ids.add(id as string);
    if (fields.type === "article") {
      if (typeof fields.title !== "string" || fields.title === "") throw badRequest("RESULT_TITLE_EMPTY");
      if (fields.input_message_content === undefined) throw badRequest("input_message_content is required for an article");
    }
    const content = fields.input_message_content as Record<string, unknown> | undefined;
    if (content !== undefined && "message_text" in content) {
      messageText(content.message_text, content.parse_mode, content.entities);
    }
    inlineKeyboardOf(fields.reply_markup);
  }
}
