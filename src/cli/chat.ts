import readline from "node:readline/promises";
import type { QaService } from "../app";
import { formatAnswerText } from "./format";

export interface ChatOptions {
  service: QaService;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/**
 * A terminal conversation over the same service as the bot: one question per line,
 * an empty line or Ctrl-D ends it. Works without a terminal too (piped questions).
 */
export async function runChat({ service, input = process.stdin, output = process.stdout }: ChatOptions): Promise<void> {
  const status = service.status();
  output.write(
    `${status.articles} bài viết, ${status.passages} đoạn; tìm kiếm ngữ nghĩa ${status.denseOn ? "bật" : "tắt"}.\n` +
      `Hỏi bằng tiếng Việt (có dấu hay không dấu) hoặc tiếng Anh. Dòng trống hoặc Ctrl-D để thoát.\n`,
  );
  const rl = readline.createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
  try {
    for (;;) {
      let line: string;
      try {
        line = await rl.question("? ");
      } catch {
        break; // input closed
      }
      const question = line.trim();
      if (!question) break;
      const answer = await service.ask(question);
      output.write(`${formatAnswerText(answer)}\n\n`);
    }
  } finally {
    rl.close();
  }
}
