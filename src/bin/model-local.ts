import { runModelLocalCli } from "../cli/model";
import { runMain } from "./bootstrap";

await runMain((config, logger) => runModelLocalCli(process.argv.slice(2), config, logger));
