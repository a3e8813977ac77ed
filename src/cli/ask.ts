import { parseArgs } from "node:util";
import { QaService } from "../app";
import type { Config } from "../config";
import type { Logger } from "../logger";
import { ANSI_BOLD, answerToJson, formatAnswerText } from "./format";

export const ASK_USAGE = 'usage: npm run ask -- [--index DIR] [--json] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--category NAME] "question"';

/** `npm run ask`: one question, one answer with its sources (or the Answer as JSON). */
export async function runAskCli(argv: string[], config: Config, logger: Logger, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      index: { type: "string" },
      json: { type: "boolean", default: false },
      since: { type: "string" },
      until: { type: "string" },
      category: { type: "string" },
    },
  });
  const question = positionals.join(" ").trim();
  for (const [name, value] of [["since", values.since], ["until", values.until]] as const) {
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      out.write(`--${name} takes a date as YYYY-MM-DD, got "${value}"\n${ASK_USAGE}\n`);
      return 2;
    }
  }
  if (!question) {
    out.write(`${ASK_USAGE}\n`);
    return 2;
  }
  const service = await QaService.open({ config: values.index ? { ...config, indexDir: values.index } : config, logger });
  const answer = await service.ask(question, {
    ...(values.since ? { since: values.since } : {}),
    ...(values.until ? { until: values.until } : {}),
    ...(values.category ? { category: values.category } : {}),
  });
  out.write(values.json ? `${JSON.stringify(answerToJson(answer), null, 2)}\n` : `${formatAnswerText(answer, out.isTTY ? ANSI_BOLD : undefined)}\n`);
  return 0;
}
