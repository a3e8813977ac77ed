import type { Api } from "grammy";
import type { Config } from "../config";

/** A download from Telegram's file server may take this long before it is given up (ms). */
export const DOWNLOAD_TIMEOUT_MS = 60_000;

/** The file is larger than allowed: refused before or while downloading, never read whole. */
export class DownloadTooLargeError extends Error {
  override readonly name = "DownloadTooLargeError";
  constructor(
    /** Bytes, when known (Telegram said, or as far as the download got). */
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`the file is larger than ${maxBytes} bytes`);
  }
}

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs?: number;
  /** Injection point for tests; default: the global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * The bytes of a file a user sent: `getFile`, then `<apiRoot>/file/bot<token>/<file_path>`.
 *
 * Never holds more than `maxBytes`: the size Telegram reports is checked first and the body is
 * counted as it arrives. The download URL contains the token, so no error here carries the URL
 * or the underlying error's text (which may quote it): only a status or an error name.
 *
 * @example
 *   const bytes = await downloadTelegramFile(ctx.api, config.telegram, document.file_id, { maxBytes: config.uploadMaxBytes });
 */
export async function downloadTelegramFile(
  api: Pick<Api, "getFile">,
  telegram: Pick<Config["telegram"], "apiRoot" | "token">,
  fileId: string,
  options: DownloadOptions,
): Promise<Uint8Array> {
  const { maxBytes } = options;
  const file = await api.getFile(fileId);
  if (file.file_size !== undefined && file.file_size > maxBytes) throw new DownloadTooLargeError(file.file_size, maxBytes);
  // Bots may download files of up to 20 MB; for larger ones Telegram gives no path.
  if (!file.file_path) throw new Error("Telegram gave no download path for the file (files over 20 MB cannot be downloaded by bots)");

  const url = `${telegram.apiRoot}/file/bot${telegram.token}/${file.file_path}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    throw new Error(`could not download the file from Telegram (${error instanceof Error ? error.name : "error"})`);
  }
  if (!response.ok || !response.body) throw new Error(`could not download the file from Telegram (HTTP ${response.status})`);

  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    let next: Awaited<ReturnType<typeof reader.read>>;
    try {
      next = await reader.read();
    } catch (error) {
      throw new Error(`the download from Telegram broke off (${error instanceof Error ? error.name : "error"})`);
    }
    if (next.done) break;
    total += next.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new DownloadTooLargeError(total, maxBytes);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks, total);
}
