import readline from "node:readline";
import { citedArticles } from "../answer";
import type { QaService } from "../app";
import { ANSI_BOLD, formatAnswerText } from "./format";

export interface ChatOptions {
  service: QaService;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** Commands that end the conversation; so does end of input (Ctrl-D). */
const QUIT = new Set(["/quit", "/exit"]);

/**
 * A terminal conversation over the same service as the bot: one question per line, each of which
 * may follow up the answer before it. `/quit`, `/exit` or end of input (Ctrl-D) end it; an empty
 * line does not (an Enter pressed twice must not throw the conversation away). Works with piped
 * input too (questions are read as a stream, so lines that arrive early are not lost).
 *
 * The banner is two lines: what is indexed, with dense retrieval on or off and why (said only
 * here: the caller opens the service with `warnDenseOff: false`), and how to ask and to quit.
 */
export async function runChat({ service, input = process.stdin, output = process.stdout }: ChatOptions): Promise<void> {
  output.write(`${chatBanner(service)}\n`);
  const terminal = (input as { isTTY?: boolean }).isTTY === true;
  const rl = readline.createInterface({ input, output, terminal, prompt: "? " });
  if (terminal) rl.prompt();
  // A question may follow up the answer before it: its articles are preferred when they cover it.
  let followUp: string[] = [];
  try {
    for await (const line of rl) {
      const question = line.trim();
      if (QUIT.has(question.toLowerCase())) break;
      if (question) {
        if (!terminal) output.write(`? ${question}\n`);
        const answer = await service.ask(question, { followUp });
        followUp = citedArticles(answer);
        output.write(`${formatAnswerText(answer, (output as { isTTY?: boolean }).isTTY ? ANSI_BOLD : undefined)}\n\n`);
      }
      if (terminal) rl.prompt();
    }
  } finally {
    rl.close();
  }
}

/** The two banner lines (Vietnamese, as the corpus and most questions are). */
export function chatBanner(service: Pick<QaService, "status">): string {
  const status = service.status();
  const dense = status.denseOn ? "bật" : `tắt (${status.denseOffReason ?? "không có mô hình"})`;
  return (
    `${status.articles} bài viết, ${status.passages} đoạn; tìm kiếm ngữ nghĩa ${dense}.\n` +
    `Hỏi bằng tiếng Việt (có dấu hay không dấu) hoặc tiếng Anh; gõ /quit, /exit hoặc Ctrl-D để thoát.`
  );
}
