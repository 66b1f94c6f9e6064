import { describe, expect, it } from "vitest";
import { isAllowedResponseUrl } from "../../src/slack/response-url.ts";

const SLACK = "https://slack.com/api/";
const STAND_IN = "http://127.0.0.1:4567/api/";

describe("isAllowedResponseUrl", () => {
  it("allows Slack's hooks over HTTPS, and the configured API's origin", () => {
    expect(isAllowedResponseUrl("https://hooks.slack.com/commands/T1/2/abc", SLACK)).toBe(true);
    expect(isAllowedResponseUrl("https://hooks.slack.com/actions/T1/2/abc", STAND_IN)).toBe(true);
    expect(isAllowedResponseUrl("http://127.0.0.1:4567/response/1", STAND_IN)).toBe(true);
  });

  it.each([
    "http://hooks.slack.com/commands/T1/2/abc",
    "https://hooks.slack.com.evil.example/commands",
    "https://evil.example/?u=https://hooks.slack.com/",
    "https://hooks.slack.com@evil.example/x",
    "https://user:pw@hooks.slack.com/x",
    "https://hooks.slack.com:8443/x",
    "https://slack.com/api/chat.postMessage",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "not a url",
    "",
  ])("refuses %s", (url) => {
    expect(isAllowedResponseUrl(url, SLACK)).toBe(false);
  });

  it("refuses other ports and hosts than the configured API's, and non-strings", () => {
    expect(isAllowedResponseUrl("http://127.0.0.1:4568/response/1", STAND_IN)).toBe(false);
    expect(isAllowedResponseUrl("http://localhost:4567/response/1", STAND_IN)).toBe(false);
    expect(isAllowedResponseUrl(undefined, STAND_IN)).toBe(false);
    expect(isAllowedResponseUrl({ href: "https://hooks.slack.com/x" }, SLACK)).toBe(false);
  });
});
