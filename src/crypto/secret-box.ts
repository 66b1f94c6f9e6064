import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { ClgError } from "../errors.ts";

/**
 * AES-256-GCM for connector secrets and chat installations at rest. The key comes from CLG_SECRET_KEY
 * (handed in, never read here) through scrypt, so a passphrase works as well as random bytes. The
 * optional context (e.g. "source:acme:stripe") is authenticated, so a ciphertext copied to another row
 * does not decrypt.
 *
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
const VERSION = "v1";
const SALT = "clg-bot secret-box v1";
const keys = new Map<string, Buffer>();

function deriveKey(secretKey: string): Buffer {
  if (secretKey.length < 16) {
    throw new ClgError("clg_config_invalid", "CLG_SECRET_KEY is too short: use at least 16 characters.", {
      hint: "Generate one with: openssl rand -base64 32",
    });
  }
  let key = keys.get(secretKey);
  if (!key) {
    key = scryptSync(secretKey, SALT, 32);
    keys.set(secretKey, key);
  }
  return key;
}

export function encryptSecret(plaintext: string, secretKey: string, context = ""): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(secretKey), iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), body.toString("base64url")].join(".");
}

export function decryptSecret(sealed: string, secretKey: string, context = ""): string {
  const parts = sealed.split(".");
  const [version, iv, tag, body] = parts;
  if (parts.length !== 4 || version !== VERSION || !iv || !tag || body === undefined) {
    throw new ClgError(
      "clg_config_invalid",
      "A stored secret is not in the expected format (v1.iv.tag.data).",
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", deriveKey(secretKey), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch (e) {
    if (e instanceof ClgError) throw e;
    throw new ClgError(
      "clg_config_invalid",
      "Cannot decrypt a stored secret: it was changed, or CLG_SECRET_KEY is not the key it was stored with.",
      {
        hint: "Restore the original CLG_SECRET_KEY, or apply the catalog again to store the secret anew.",
        cause: e,
      },
    );
  }
}
