import type { Db } from "../db/db.ts";
import { addSubscription, removeSubscription } from "../db/subscriptions-repository.ts";
import type { ApplyCatalogOptions } from "./apply-catalog.ts";
import { diffFields } from "./catalog-plan.ts";
import type { SubscriptionDefinition } from "./catalog-schema.ts";
import { type CatalogState, subscriptionRecord } from "./catalog-state.ts";
import type { AddItem, Write } from "./plan-catalog.ts";
import { subscriptionKey } from "./subscription-key.ts";

/**
 * Subscriptions have no name: a file entry matches a stored one with the same platform, channel, kind,
 * cron, timezone and filter. Only catalog-made rows are ever deleted.
 */
export function planSubscriptions(
  state: CatalogState,
  opts: ApplyCatalogOptions,
  item: AddItem,
  writes: Write[],
): void {
  const { workspace } = opts;
  // Catalog rows first, so a file entry matches its own row before an identical one made in chat.
  const rows = [...state.subscriptions].sort((a, b) => Number(b.from_catalog) - Number(a.from_catalog));
  const matched = new Set<number>();
  for (const sub of opts.catalog.subscriptions) {
    const key = subscriptionKey(sub);
    const row = rows.find((r) => !matched.has(r.id) && subscriptionKey(r) === key);
    const after = subscriptionRecord(sub);
    if (!row) {
      item({ entity: "subscription", key, action: "create", before: null, after });
      writes.push((db) => addCatalogSubscription(db, workspace, sub, opts.actor, opts.now));
      continue;
    }
    matched.add(row.id);
    const before = subscriptionRecord(row);
    const changes = diffFields(before, after);
    item({
      entity: "subscription",
      key,
      action: changes.length > 0 ? "update" : "unchanged",
      before,
      after,
      changes,
    });
    if (changes.length > 0) {
      writes.push(async (db) => {
        await db
          .updateTable("subscriptions")
          .set({ locale: sub.locale ?? null })
          .where("workspace", "=", workspace)
          .where("id", "=", row.id)
          .execute();
      });
    }
  }
  for (const row of rows) {
    if (matched.has(row.id) || !row.from_catalog) continue;
    const key = subscriptionKey(row);
    item({
      entity: "subscription",
      key,
      action: opts.prune ? "delete" : "kept",
      before: subscriptionRecord(row),
      after: null,
    });
    if (opts.prune) writes.push((db) => removeSubscription(db, workspace, row.id).then(() => {}));
  }
}

async function addCatalogSubscription(
  db: Db,
  workspace: string,
  sub: SubscriptionDefinition,
  actor: string,
  now?: Date,
) {
  await addSubscription(db, workspace, {
    platform: sub.platform,
    channel: sub.channel,
    kind: sub.kind,
    cron: sub.cron ?? null,
    timezone: sub.timezone ?? null,
    locale: sub.locale ?? null,
    filter: sub.filter,
    createdBy: actor,
    fromCatalog: true,
    ...(now ? { createdAt: now } : {}),
  });
}
