import readline from "node:readline";
import { citedArticles } from "../answer";
import type { QaService } from "../app";
import { ANSI_BOLD, formatAnswerText } from "./format";

export interface ChatOptions {
  service: QaService;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/**
 * A terminal conversation over the same service as the bot: one question per line, each of which
 * may follow up the answer before it; an empty line or end of input ends it. Works with piped
 * input too (questions are read as a stream, so lines that arrive early are not lost).
 */
export async function runChat({ service, input = process.stdin, output = process.stdout }: ChatOptions): Promise<void> {
  const status = service.status();
  output.write(
    `${status.articles} bài viết, ${status.passages} đoạn; tìm kiếm ngữ nghĩa ${status.denseOn ? "bật" : "tắt"}.\n` +
      `Hỏi bằng tiếng Việt (có dấu hay không dấu) hoặc tiếng Anh. Dòng trống hoặc Ctrl-D để thoát.\n`,
  );
  const terminal = (input as { isTTY?: boolean }).isTTY === true;
  const rl = readline.createInterface({ input, output, terminal, prompt: "? " });
  if (terminal) rl.prompt();
  // A question may follow up the answer before it: its articles are preferred when they cover it.
  let followUp: string[] = [];
  try {
    for await (const line of rl) {
      const question = line.trim();
      if (!question) break;
      if (!terminal) output.write(`? ${question}\n`);
      const answer = await service.ask(question, { followUp });
      followUp = citedArticles(answer);
      output.write(`${formatAnswerText(answer, (output as { isTTY?: boolean }).isTTY ? ANSI_BOLD : undefined)}\n\n`);
      if (terminal) rl.prompt();
    }
  } finally {
    rl.close();
  }
}
