import { describe, expect, it } from "vitest";
import {
  DeliveryError,
  decideDeliveryFailure,
  reasonForPlatformError,
} from "../../src/app/delivery-error.ts";

const now = new Date("2026-11-30T10:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);
// random 1: the top of each jittered step, so the expected times are exact.
const ctx = (attempts: number) => ({ attempts, maxAttempts: 6, now, random: () => 1 });
const err = (reason: ConstructorParameters<typeof DeliveryError>[1]["reason"], retryAfterMs?: number) =>
  new DeliveryError("platform said no", { reason, ...(retryAfterMs ? { retryAfterMs } : {}) });

describe("decideDeliveryFailure: one place decides retry, fail, pause and notify", () => {
  it.each([
    [
      "429 with Retry-After pauses the channel that long, not an attempt",
      err("rate_limited", 7_000),
      1,
      { action: "retry", at: at(7_000), pauseChannel: true, countAttempt: false },
    ],
    [
      "429 without Retry-After pauses 30 s",
      err("rate_limited"),
      5,
      { action: "retry", at: at(30_000), pauseChannel: true, countAttempt: false },
    ],
    [
      "first transient failure backs off 30 s",
      err("transient"),
      1,
      { action: "retry", at: at(30_000), pauseChannel: false, countAttempt: true },
    ],
    [
      "third transient failure backs off 2 min",
      err("transient"),
      3,
      { action: "retry", at: at(120_000), pauseChannel: false, countAttempt: true },
    ],
    [
      "an unknown error counts as transient",
      new Error("socket hang up"),
      2,
      { action: "retry", at: at(60_000), pauseChannel: false, countAttempt: true },
    ],
    [
      "the last attempt gives up quietly",
      err("transient"),
      6,
      { action: "fail", pauseSubscriptions: false, notifyAdmins: false },
    ],
    [
      "a channel gone pauses and tells the admins",
      err("channel_gone"),
      1,
      { action: "fail", pauseSubscriptions: true, notifyAdmins: true },
    ],
    [
      "a revoked install pauses and tells the admins",
      err("auth_revoked"),
      1,
      { action: "fail", pauseSubscriptions: true, notifyAdmins: true },
    ],
    [
      "a refused message fails alone",
      err("bad_message"),
      1,
      { action: "fail", pauseSubscriptions: false, notifyAdmins: false },
    ],
  ])("%s", (_what, error, attempts, expected) => {
    expect(decideDeliveryFailure(error, ctx(attempts))).toEqual(expected);
  });

  it("transient retries are jittered between half and the whole step, so a burst of failures spreads out", () => {
    const when = (random: number, attempts = 2) =>
      decideDeliveryFailure(err("transient"), { attempts, maxAttempts: 30, now, random: () => random });
    expect(when(0)).toMatchObject({ at: at(30_000) });
    expect(when(0.5)).toMatchObject({ at: at(45_000) });
    expect(when(1)).toMatchObject({ at: at(60_000) });
    expect(when(0, 20)).toMatchObject({ at: at(1_800_000) }); // capped at an hour
  });

  it("keeps the platform's error as the cause", () => {
    const cause = new Error("an_api_error");
    expect(new DeliveryError("x", { reason: "transient", cause }).cause).toBe(cause);
  });

  it.each([
    ["channel_not_found", undefined, "channel_gone"],
    ["not_in_channel", undefined, "channel_gone"],
    ["is_archived", undefined, "channel_gone"],
    ["account_inactive", undefined, "auth_revoked"],
    ["invalid_auth", undefined, "auth_revoked"],
    ["token_revoked", undefined, "auth_revoked"],
    ["ConversationNotFound", 404, "channel_gone"],
    [undefined, 403, "channel_gone"],
    [undefined, 404, "channel_gone"],
    [undefined, 401, "auth_revoked"],
    [undefined, 429, "rate_limited"],
    [undefined, 400, "bad_message"],
    [undefined, 502, "transient"],
    [undefined, undefined, "transient"],
  ])("platform code %s, HTTP %s: %s", (code, status, reason) => {
    expect(reasonForPlatformError(code, status)).toBe(reason);
  });
});
