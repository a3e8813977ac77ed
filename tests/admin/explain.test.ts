import { describe, expect, it } from "vitest";
import { describeFailure } from "../../src/admin";
import { ArticleParseError, IndexBusyError, RemovalRefusedError } from "../../src/domain/errors";

/** An error shaped like Node's system errors (fs, net). */
function systemError(code: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something, open '${path}'`), { code, ...(path ? { path } : {}) });
}

describe("describeFailure: what failed, in words an admin can act on", () => {
  it("keeps the words of our own errors", () => {
    expect(describeFailure(new ArticleParseError("/srv/a.json", "line 3: invalid JSON"))).toBe("line 3: invalid JSON");
    expect(describeFailure(new RemovalRefusedError(3, 4, "/srv/idx"))).toBe(new RemovalRefusedError(3, 4, "/srv/idx").message);
    expect(describeFailure(new IndexBusyError("/srv/idx", "pid 7 on vm, since now"))).toMatch(/^another build \(pid 7/);
    expect(describeFailure(new Error("could not download the file from Telegram (HTTP 502)"))).toBe("could not download the file from Telegram (HTTP 502)");
    // A refusal's own code is not a system error code.
    expect(describeFailure(Object.assign(new Error("private address"), { code: "private-address" }))).toBe("private address");
  });

  it("says engine errors and unknown values are internal, without their text", () => {
    expect(describeFailure(new RangeError("Maximum call stack size exceeded"))).toBe(
      "an internal error (RangeError) stopped it; the details are in the bot's log",
    );
    expect(describeFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).not.toMatch(/undefined/);
    expect(describeFailure("boom")).toBe("an internal error stopped it; the details are in the bot's log");
    expect(describeFailure(systemError("ERR_INVALID_ARG_TYPE"))).toBe("an internal error (Error ERR_INVALID_ARG_TYPE) stopped it; the details are in the bot's log");
  });

  it("says what a full disk or a missing permission is", () => {
    expect(describeFailure(systemError("ENOSPC", "/srv/embeddings/.v-1.tmp/lexical.bin"))).toBe("the disk is full (/srv/embeddings/.v-1.tmp/lexical.bin)");
    expect(describeFailure(systemError("EACCES"))).toBe("the bot has no permission to write or read there");
  });

  it("says what Telegram refused, without grammY's wording", () => {
    const grammy = Object.assign(new Error("Call to 'getFile' failed! (400: Bad Request: file is too big)"), {
      name: "GrammyError",
      method: "getFile",
      description: "Bad Request: file is too big",
    });
    expect(describeFailure(grammy)).toBe("Telegram refused to hand over the file: file is too big");
    const other = Object.assign(new Error("Call to 'sendDocument' failed! (403: Forbidden: bot was blocked by the user)"), {
      name: "GrammyError",
      method: "sendDocument",
      description: "Forbidden: bot was blocked by the user",
    });
    expect(describeFailure(other)).toBe("Telegram refused the request (sendDocument): bot was blocked by the user");
    expect(describeFailure(Object.assign(new Error("Network request for 'getFile' failed!"), { name: "HttpError" }))).toBe(
      "Telegram could not be reached; try again in a moment",
    );
  });
});
