import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotConnectorStandIn, startBotConnectorStandIn } from "../support/bot-connector-stand-in.ts";
import { startTestService, type TestService } from "../support/test-service.ts";
import { activity } from "./teams-harness.ts";

/** The real service (as `npm start` composes it) with Teams in local mode. */
let svc: TestService;
let connector: BotConnectorStandIn;

beforeAll(async () => {
  connector = await startBotConnectorStandIn();
  svc = await startTestService({ env: { TEAMS_LOCAL: "on" } });
});
afterAll(async () => {
  await svc?.stop();
  await connector.close();
});

const post = (body: string) =>
  fetch(`${svc.base}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });

describe("the service mounts the Teams endpoint when Teams is configured", () => {
  it("answers a command on POST /api/messages", async () => {
    const a = activity(
      { connector },
      { tenant: "tenant-s", conversation: "a:svc", conversationType: "personal", text: "board" },
    );
    const res = await post(JSON.stringify(a));
    expect(res.status).toBe(200);
    expect(connector.calls).toHaveLength(1);
    expect(connector.calls[0]).toMatchObject({ method: "POST", conversationId: "a:svc", activityId: a.id });
  });

  it("refuses a body over 256 KiB without reading it", async () => {
    const res = await post(JSON.stringify({ text: "x".repeat(300 * 1024) }));
    expect(res.status).toBe(413);
  });
});
