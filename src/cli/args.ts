/**
 * `parseArgs` in strict mode (unknown flags and stray arguments are errors), with a mistake said as
 * one line and the usage, on the error stream, instead of a stack trace. Returns null after saying
 * it: the command then exits 2, the conventional code for a usage error.
 *
 * @example
 *   const parsed = parseCommandLine(ASK_USAGE, err, () => parseArgs({ args: argv, options: {...} }));
 *   if (!parsed) return 2;
 */
export function parseCommandLine<T>(usage: string, err: NodeJS.WritableStream, parse: () => T): T | null {
  try {
    return parse();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS_")) throw error;
    // Node's text goes on to explain `--` for positionals starting with '-': the first sentence says it.
    const message = (error as Error).message.split(/\.\s/)[0]!.replace(/\.$/, "");
    err.write(`${message}\n${usage}\n`);
    return null;
  }
}
