import { runEvalCli } from "../cli/eval";
import { runMain } from "./bootstrap";

await runMain((config, logger) => runEvalCli(process.argv.slice(2), config, logger));
