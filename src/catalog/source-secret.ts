import { secretProblem } from "../connectors/registry.ts";
import { decryptSecret, encryptSecret } from "../crypto/secret-box.ts";
import { sourceSecretContext } from "../db/sources-repository.ts";
import { ClgError } from "../errors.ts";
import type { ApplyCatalogOptions } from "./apply-catalog.ts";
import type { SourceDefinition } from "./catalog-schema.ts";

export type SecretOutcome =
  | { ciphertext: string | null; changed: boolean; label: "set" | "none" }
  | { problem: string };

/** Keeps the stored ciphertext when the secret is the same, so a re-apply writes nothing. */
export function resolveSecret(
  src: SourceDefinition,
  stored: string | null,
  storedEnv: string | null,
  opts: ApplyCatalogOptions,
  workspace: string,
): SecretOutcome {
  if (src.secret_env === undefined) return { ciphertext: null, changed: stored !== null, label: "none" };
  const value = opts.secrets?.(src.secret_env);
  if (value === undefined || value === "") {
    if (stored !== null && storedEnv === src.secret_env)
      return { ciphertext: stored, changed: false, label: "set" };
    return {
      problem: `source "${src.name}" needs its secret: set the environment variable ${src.secret_env}`,
    };
  }
  const shape = secretProblem(src.kind, value);
  if (shape !== null) return { problem: `source "${src.name}": ${src.secret_env} ${shape}` };
  if (!opts.secretKey) {
    throw new ClgError(
      "clg_config_invalid",
      `Storing the secret of source "${src.name}" needs CLG_SECRET_KEY.`,
      {
        hint: "Set CLG_SECRET_KEY (e.g. openssl rand -base64 32) and apply again.",
      },
    );
  }
  const context = sourceSecretContext(workspace, src.name);
  if (stored !== null && sameSecret(stored, value, opts.secretKey, context)) {
    return { ciphertext: stored, changed: false, label: "set" };
  }
  return { ciphertext: encryptSecret(value, opts.secretKey, context), changed: true, label: "set" };
}

function sameSecret(stored: string, value: string, key: string, context: string): boolean {
  try {
    return decryptSecret(stored, key, context) === value;
  } catch {
    // Stored with another key or damaged: the new value replaces it.
    return false;
  }
}
