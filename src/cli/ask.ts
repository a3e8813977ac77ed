import { parseArgs } from "node:util";
import { QaService } from "../app";
import type { Config } from "../config";
import type { Logger } from "../logger";
import { parseCommandLine } from "./args";
import { ANSI_BOLD, answerToJson, formatAnswerText } from "./format";

export const ASK_USAGE = 'usage: npm run ask -- [--index DIR] [--json] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--category NAME] "question"';

/**
 * `npm run ask`: one question, one answer with its sources (or the Answer as JSON).
 *
 * Standard output holds the answer and nothing else, so that `npm run -s ask -- --json "…" | jq`
 * works: usage errors go to `err`, logs to the logger (standard error). Exit 2 on a usage error.
 */
export async function runAskCli(
  argv: string[],
  config: Config,
  logger: Logger,
  out: NodeJS.WriteStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const parsed = parseCommandLine(ASK_USAGE, err, () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        index: { type: "string" },
        json: { type: "boolean", default: false },
        since: { type: "string" },
        until: { type: "string" },
        category: { type: "string" },
      },
    }),
  );
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const question = positionals.join(" ").trim();
  for (const [name, value] of [["since", values.since], ["until", values.until]] as const) {
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      err.write(`--${name} takes a date as YYYY-MM-DD, got "${value}"\n${ASK_USAGE}\n`);
      return 2;
    }
  }
  if (!question) {
    err.write(`${ASK_USAGE}\n`);
    return 2;
  }
  // One question: a search thread would take longer to start than it saves.
  const service = await QaService.open({ config: { ...config, searchThread: "off", ...(values.index ? { indexDir: values.index } : {}) }, logger });
  const answer = await service.ask(question, {
    ...(values.since ? { since: values.since } : {}),
    ...(values.until ? { until: values.until } : {}),
    ...(values.category ? { category: values.category } : {}),
  });
  out.write(values.json ? `${JSON.stringify(answerToJson(answer), null, 2)}\n` : `${formatAnswerText(answer, out.isTTY ? ANSI_BOLD : undefined)}\n`);
  return 0;
}
