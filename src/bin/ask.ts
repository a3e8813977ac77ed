import { runAskCli } from "../cli/ask";
import { runMain } from "./bootstrap";

await runMain((config, logger) => runAskCli(process.argv.slice(2), config, logger));
