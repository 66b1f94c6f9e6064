import { decryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "./db.ts";
import type { SourceRow } from "./schema.ts";

export async function getSource(db: Db, workspace: string, name: string): Promise<SourceRow | undefined> {
  return db
    .selectFrom("sources")
    .selectAll()
    .where("workspace", "=", workspace)
    .where("name", "=", name)
    .executeTakeFirst();
}

export async function listSources(db: Db, workspace: string): Promise<SourceRow[]> {
  return db.selectFrom("sources").selectAll().where("workspace", "=", workspace).orderBy("name").execute();
}

/** The context a source secret is sealed with, so it cannot be moved to another source. */
export function sourceSecretContext(workspace: string, name: string): string {
  return `source:${workspace}:${name}`;
}

/** The decrypted secret of a source, or undefined when it has none. */
export function openSourceSecret(source: SourceRow, secretKey: string): string | undefined {
  if (source.secret_ciphertext === null) return undefined;
  return decryptSecret(
    source.secret_ciphertext,
    secretKey,
    sourceSecretContext(source.workspace, source.name),
  );
}

/**
 * A poll went through: the error is cleared and, when given, how far the data is final is recorded.
 * `recovered` is true when this ends an outage the admins were told about (the clearing update is
 * conditional, so of two replicas only one reports it).
 */
export async function recordPollSuccess(
  db: Db,
  workspace: string,
  name: string,
  at: Date,
  completeThrough?: string,
): Promise<{ recovered: boolean }> {
  const fields = {
    ...(completeThrough ? { complete_through: completeThrough } : {}),
    last_polled_at: at,
    last_success_at: at,
    last_error: null,
    last_error_at: null,
    error_notified_at: null,
  };
  const ended = await db
    .updateTable("sources")
    .set(fields)
    .where("workspace", "=", workspace)
    .where("name", "=", name)
    .where("error_notified_at", "is not", null)
    .returning("name")
    .executeTakeFirst();
  if (ended) return { recovered: true };
  await db
    .updateTable("sources")
    .set(fields)
    .where("workspace", "=", workspace)
    .where("name", "=", name)
    .execute();
  return { recovered: false };
}

/**
 * Records a failed poll. `notifyAdmins` is true only for the first failure in a row: the update that
 * sets `error_notified_at` is conditional, so of two replicas failing at once only one is told to notify.
 */
export async function recordPollFailure(
  db: Db,
  workspace: string,
  name: string,
  error: string,
  at: Date,
): Promise<{ notifyAdmins: boolean }> {
  const fields = { last_polled_at: at, last_error: error.slice(0, 2000), last_error_at: at };
  const first = await db
    .updateTable("sources")
    .set({ ...fields, error_notified_at: at })
    .where("workspace", "=", workspace)
    .where("name", "=", name)
    .where("error_notified_at", "is", null)
    .returning("name")
    .executeTakeFirst();
  if (first) return { notifyAdmins: true };
  await db
    .updateTable("sources")
    .set(fields)
    .where("workspace", "=", workspace)
    .where("name", "=", name)
    .execute();
  return { notifyAdmins: false };
}

export interface SourceInput {
  name: string;
  kind: string;
  schedule: string;
  config: Record<string, unknown>;
  secretEnv: string | null;
  secretCiphertext: string | null;
}

/** Creates or updates a source's definition; poll history (last success, last error) is kept. */
export async function saveSource(db: Db, workspace: string, s: SourceInput, now: Date): Promise<void> {
  const row = {
    kind: s.kind,
    schedule: s.schedule,
    config: JSON.stringify(s.config),
    secret_env: s.secretEnv,
    secret_ciphertext: s.secretCiphertext,
    updated_at: now,
  };
  await db
    .insertInto("sources")
    .values({ workspace, name: s.name, ...row })
    .onConflict((oc) => oc.columns(["workspace", "name"]).doUpdateSet(row))
    .execute();
}

export async function deleteSource(db: Db, workspace: string, name: string): Promise<void> {
  await db.deleteFrom("sources").where("workspace", "=", workspace).where("name", "=", name).execute();
}
