import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { DeliveryError } from "../../src/app/delivery-error.ts";
import { createLogger } from "../../src/logging/create-logger.ts";

function captured() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger("info", stream), text: () => lines.join("") };
}

describe("structured logs never contain tokens", () => {
  it("masks tokens in fields, in error messages and stacks, and passwords in URLs", () => {
    const { logger, text } = captured();
    const cause = new Error(
      "request to https://slack.com/api/chat.postMessage failed with Authorization: Bearer xoxb-1234-5678-AbCdEfGh",
    );
    logger.error(
      {
        err: new DeliveryError("Slack answered invalid_auth for xoxb-1234-5678-AbCdEfGh", {
          reason: "auth_revoked",
          cause,
        }),
        token: "xapp-1-A0-secret",
        install: { botToken: "xoxb-9-9-zz", note: "app token xapp-1-B2-topsecret" },
        databaseUrl: "postgres://clg:hunter2@db:5432/clg",
        query: "connect postgres://clg:hunter2@db:5432/clg",
      },
      "delivery not sent; teams said Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature",
    );
    const out = text();
    for (const secret of ["1234-5678-AbCdEfGh", "A0-secret", "9-9-zz", "B2-topsecret", "hunter2", "eyJhbGci"])
      expect(out).not.toContain(secret);
    expect(out).toContain("invalid_auth"); // the rest of the message stays readable
    expect(out).toContain("xoxb-[redacted]");
  });
});
