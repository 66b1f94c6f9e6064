import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "../../src/crypto/secret-box.ts";
import { ClgError } from "../../src/errors.ts";

const KEY = "correct horse battery staple";

describe("secret box", () => {
  it("round-trips, with a fresh nonce each time", () => {
    const a = encryptSecret("sk_live_123 ünïcode", KEY, "source:w:stripe");
    const b = encryptSecret("sk_live_123 ünïcode", KEY, "source:w:stripe");
    expect(a).not.toBe(b);
    expect(a).not.toContain("sk_live");
    expect(decryptSecret(a, KEY, "source:w:stripe")).toBe("sk_live_123 ünïcode");
  });

  const sealed = encryptSecret("secret", KEY, "ctx");
  const [v, iv, tag, body] = sealed.split(".") as [string, string, string, string];
  const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
  it.each([
    ["changed ciphertext", [v, iv, tag, flip(body)].join("."), KEY, "ctx"],
    ["changed tag", [v, iv, flip(tag), body].join("."), KEY, "ctx"],
    ["changed nonce", [v, flip(iv), tag, body].join("."), KEY, "ctx"],
    ["other key", sealed, "another key of enough length", "ctx"],
    ["other context", sealed, KEY, "other"],
    ["not a sealed value", "plaintext", KEY, "ctx"],
  ])("rejects %s with a clear error", (_name, value, key, ctx) => {
    expect(() => decryptSecret(value, key, ctx)).toThrow(ClgError);
  });

  it("names what to do when the key is wrong", () => {
    expect(() => decryptSecret(sealed, "another key of enough length", "ctx")).toThrow(/CLG_SECRET_KEY/);
  });

  it("refuses a short key", () => {
    expect(() => encryptSecret("x", "short")).toThrow(/at least 16/);
  });
});
