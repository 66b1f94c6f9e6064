import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activity, cardText, startTeamsHarness, type TeamsHarness } from "./teams-harness.ts";

/** Charts drawn for real: a Teams answer points at its PNG under PUBLIC_URL, and the service serves it. */
let h: TeamsHarness;

beforeAll(async () => {
  h = await startTeamsHarness({ TEAMS_LOCAL: "on", PUBLIC_URL: "https://clg.example.com" }, { charts: true });
});
afterAll(async () => {
  await h.close();
});

describe("charts in Teams answers", () => {
  it("the reply's card carries the chart image URL, published for the tenant", async () => {
    await h.post(
      activity(h, {
        tenant: "tenant-ch",
        conversation: "a:charts",
        conversationType: "personal",
        text: "board",
      }),
    );
    const text = cardText(h.connector.calls[0]);
    const url = /https:\/\/clg\.example\.com\/charts\/([A-Za-z0-9_-]+)\.png/.exec(text);
    expect(url).not.toBeNull();
    const image = await h.rt.chartImages.find(url?.[1] ?? "", h.rt.clock.now());
    expect(image?.png.subarray(1, 4).toString("latin1")).toBe("PNG");
  });
});
