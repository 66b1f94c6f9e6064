import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/** A database handle or an open transaction: every repository function takes one first. */
export type Db = Kysely<Database>;
