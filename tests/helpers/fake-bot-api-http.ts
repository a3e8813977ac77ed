/**
 * Reading Bot API request parameters the four ways Telegram accepts them: the URL query string,
 * application/x-www-form-urlencoded, application/json and multipart/form-data.
 *
 * grammY sends JSON, except when a payload holds an `InputFile`: then it streams multipart, with
 * object fields JSON-encoded, files as extra parts and `attach://<part>` references in their place.
 * Form values all arrive as strings, so they are turned back into numbers, booleans and objects by
 * parameter name, the way Telegram reads them by type. The result looks the same whichever way the
 * client sent it, which is what tests want to assert on.
 */
import type { IncomingMessage } from "node:http";
import { badRequest } from "./fake-bot-api-rules";

/** A file uploaded with a request (multipart part), in place of its `attach://` reference. */
export interface UploadedFile {
  kind: "uploaded-file";
  /** The name the client gave the part (grammY: the InputFile's filename). */
  fileName: string;
  mimeType: string;
  content: Buffer;
}

export type Params = Record<string, unknown>;

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === "object" && value !== null && (value as UploadedFile).kind === "uploaded-file";
}

const INTEGER_PARAMS = new Set([
  "chat_id",
  "message_id",
  "message_thread_id",
  "reply_to_message_id",
  "from_chat_id",
  "user_id",
  "offset",
  "limit",
  "timeout",
  "cache_time",
  "max_connections",
]);
const BOOLEAN_PARAMS = new Set([
  "disable_notification",
  "protect_content",
  "allow_sending_without_reply",
  "disable_web_page_preview",
  "disable_content_type_detection",
  "show_alert",
  "is_personal",
  "drop_pending_updates",
  "allow_paid_broadcast",
  "for_channels",
]);
const JSON_PARAMS = new Set([
  "reply_markup",
  "entities",
  "caption_entities",
  "link_preview_options",
  "reply_parameters",
  "results",
  "button",
  "commands",
  "scope",
  "menu_button",
  "allowed_updates",
  "message_ids",
  "rights",
]);

/** Reads all parameters of a request; files become {@link UploadedFile}s. */
export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const form = new Map<string, string>(url.searchParams);
  let files = new Map<string, UploadedFile>();
  const body = await readBody(req);
  const contentType = req.headers["content-type"] ?? "";

  if (body.length > 0 && /^application\/json/i.test(contentType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw badRequest("the request body is not valid JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw badRequest("the JSON request body must be an object of parameters");
    }
    return { ...normaliseForm(form, files), ...(parsed as Params) };
  }
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) form.set(key, value);
  } else if (/^multipart\/form-data/i.test(contentType)) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    if (boundary === null) throw badRequest("multipart/form-data without a boundary");
    const parts = parseMultipart(body, boundary[1] ?? boundary[2] ?? "");
    for (const [key, value] of parts.fields) form.set(key, value);
    files = parts.files;
  }
  return normaliseForm(form, files);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function normaliseForm(form: Map<string, string>, files: Map<string, UploadedFile>): Params {
  const params: Params = {};
  for (const [key, value] of form) params[key] = typed(key, value, files);
  // A file may also be sent directly as the parameter's own part (curl -F document=@file).
  for (const [key, file] of files) {
    if (!(key in params) && !isAttachTarget(key, form)) params[key] = file;
  }
  return params;
}

function isAttachTarget(part: string, form: Map<string, string>): boolean {
  for (const value of form.values()) if (value.includes(`attach://${part}`)) return true;
  return false;
}

function typed(key: string, value: string, files: Map<string, UploadedFile>): unknown {
  const attached = /^attach:\/\/(.+)$/.exec(value);
  if (attached !== null) return files.get(attached[1] ?? "") ?? value;
  if (INTEGER_PARAMS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEAN_PARAMS.has(key) && (value === "true" || value === "false")) return value === "true";
  if (JSON_PARAMS.has(key)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw badRequest(`can't parse ${key} JSON object`);
    }
  }
  return value;
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * A small multipart/form-data parser. grammY writes headers without spaces
 * (`content-disposition:form-data;name="x";filename=a.txt`) and leaves filenames unquoted, so the
 * header parsing is lenient about both.
 */
export function parseMultipart(
  body: Buffer,
  boundary: string,
): { fields: Map<string, string>; files: Map<string, UploadedFile> } {
  const fields = new Map<string, string>();
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  const between = Buffer.concat([CRLF, delimiter]);

  let position = body.indexOf(delimiter);
  if (position < 0) throw badRequest("multipart/form-data body without its boundary");
  position += delimiter.length;
  while (body.subarray(position, position + 2).toString() !== "--") {
    if (body.subarray(position, position + 2).equals(CRLF)) position += 2;
    const headerEnd = body.indexOf(HEADER_END, position);
    const next = body.indexOf(between, position);
    if (headerEnd < 0 || next < 0 || headerEnd > next) throw badRequest("malformed multipart/form-data part");
    const headers = parseHeaders(body.subarray(position, headerEnd).toString("utf8"));
    const content = body.subarray(headerEnd + HEADER_END.length, next);
    const disposition = headers.get("content-disposition") ?? "";
    const name = dispositionParam(disposition, "name");
    if (name === undefined) throw badRequest("multipart/form-data part without a name");
    const fileName = dispositionParam(disposition, "filename");
    if (fileName === undefined) {
      fields.set(name, content.toString("utf8"));
    } else {
      const mimeType = headers.get("content-type") ?? "application/octet-stream";
      files.set(name, { kind: "uploaded-file", fileName, mimeType, content: Buffer.from(content) });
    }
    position = next + between.length;
  }
  return { fields, files };
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function dispositionParam(disposition: string, param: "name" | "filename"): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${param}=(?:"([^"]*)"|([^;]*))`, "i").exec(disposition);
  if (match === null) return undefined;
  return (match[1] ?? match[2] ?? "").trim();
}
