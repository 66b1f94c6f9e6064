import { decryptSecret, encryptSecret } from "../crypto/secret-box.ts";
import { ClgError, isClgError } from "../errors.ts";
import type { Db } from "./db.ts";
import { slackInstallationContext } from "./slack-installations-repository.ts";
import { sourceSecretContext } from "./sources-repository.ts";

export interface RotationResult {
  sources: number;
  installations: number;
}

function undecryptable(what: string, e: unknown): ClgError {
  return new ClgError(
    "clg_config_invalid",
    `Cannot decrypt the stored secret of ${what} with CLG_SECRET_KEY; nothing was changed.`,
    {
      hint: "Set CLG_SECRET_KEY to the key the secrets are stored under now (and CLG_NEW_SECRET_KEY to the new one), then run it again.",
      cause: isClgError(e) ? (e.cause ?? e) : e,
    },
  );
}

/**
 * Re-encrypts every stored secret (source credentials of every workspace, chat installations) from
 * `oldKey` to `newKey` in one transaction: a secret that does not decrypt with `oldKey` rolls everything
 * back, so the database never holds secrets under two keys.
 */
export async function rotateSecrets(db: Db, oldKey: string, newKey: string): Promise<RotationResult> {
  return db.transaction().execute(async (trx) => {
    const sources = await trx
      .selectFrom("sources")
      .select(["workspace", "name", "secret_ciphertext"])
      .where("secret_ciphertext", "is not", null)
      .orderBy("workspace")
      .orderBy("name")
      .execute();
    for (const s of sources) {
      const context = sourceSecretContext(s.workspace, s.name);
      let plain: string;
      try {
        plain = decryptSecret(s.secret_ciphertext as string, oldKey, context);
      } catch (e) {
        throw undecryptable(`source "${s.name}" (workspace ${s.workspace})`, e);
      }
      await trx
        .updateTable("sources")
        .set({ secret_ciphertext: encryptSecret(plain, newKey, context) })
        .where("workspace", "=", s.workspace)
        .where("name", "=", s.name)
        .execute();
    }
    const installs = await trx
      .selectFrom("slack_installations")
      .select(["workspace", "team_id", "enterprise_id", "bot_token_ciphertext", "installation_ciphertext"])
      .orderBy("enterprise_id")
      .orderBy("team_id")
      .execute();
    for (const i of installs) {
      const reseal = (ciphertext: string, what: "bot" | "installation") => {
        const context = slackInstallationContext(i, what);
        try {
          return encryptSecret(decryptSecret(ciphertext, oldKey, context), newKey, context);
        } catch (e) {
          throw undecryptable(`the Slack installation of workspace ${i.workspace}`, e);
        }
      };
      await trx
        .updateTable("slack_installations")
        .set({
          bot_token_ciphertext:
            i.bot_token_ciphertext === null ? null : reseal(i.bot_token_ciphertext, "bot"),
          installation_ciphertext: reseal(i.installation_ciphertext, "installation"),
        })
        .where("team_id", "=", i.team_id)
        .where("enterprise_id", "=", i.enterprise_id)
        .execute();
    }
    return { sources: sources.length, installations: installs.length };
  });
}
