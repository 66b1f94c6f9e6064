import { decryptSecret, encryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "./db.ts";

/** The context an installation is sealed with, so it cannot be moved to another workspace or platform. */
export const installationContext = (workspace: string, platform: string) =>
  `installation:${workspace}:${platform}`;

/** Stores a chat installation (Slack OAuth install, Teams conversation reference) encrypted. */
export async function saveInstallation(
  db: Db,
  workspace: string,
  platform: string,
  data: unknown,
  secretKey: string,
  now: Date,
): Promise<void> {
  const data_ciphertext = encryptSecret(
    JSON.stringify(data),
    secretKey,
    installationContext(workspace, platform),
  );
  await db
    .insertInto("installations")
    .values({ workspace, platform, data_ciphertext, created_at: now, updated_at: now })
    .onConflict((oc) =>
      oc.columns(["workspace", "platform"]).doUpdateSet({ data_ciphertext, updated_at: now }),
    )
    .execute();
}

export async function getInstallation(
  db: Db,
  workspace: string,
  platform: string,
  secretKey: string,
): Promise<unknown | undefined> {
  const row = await db
    .selectFrom("installations")
    .select("data_ciphertext")
    .where("workspace", "=", workspace)
    .where("platform", "=", platform)
    .executeTakeFirst();
  if (!row) return undefined;
  return JSON.parse(decryptSecret(row.data_ciphertext, secretKey, installationContext(workspace, platform)));
}

export async function deleteInstallation(db: Db, workspace: string, platform: string): Promise<boolean> {
  const r = await db
    .deleteFrom("installations")
    .where("workspace", "=", workspace)
    .where("platform", "=", platform)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}
