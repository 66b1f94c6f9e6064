import { z } from "zod";
import { pollOptionsShape } from "../common/poll-options.ts";

const httpUrl = z.url({ protocol: /^https?$/, error: "an http:// or https:// URL" });

/** The HTTP/CSV source's `config`: where the document is and how to ask for it. */
export const httpCsvConfigSchema = z
  .object({
    /** The JSON endpoint or CSV file (a published Google Sheet: File > Share > Publish to web > CSV). */
    url: httpUrl,
    format: z.enum(["json", "csv"]),
    /** A header that carries the source's secret, e.g. Authorization; the value comes from secret_env. */
    auth_header: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "a header name such as Authorization")
      .optional(),
    /** Written before the secret in that header, e.g. Bearer. */
    auth_scheme: z.string().regex(/^\S+$/).optional(),
    /** Let this source reach private, loopback and link-local addresses (an internal service). */
    allow_private_addresses: z.boolean().default(false),
    /** A bigger document fails the poll instead of filling memory. */
    max_bytes: z.number().int().min(1_000).max(200_000_000).default(20_000_000),
    ...pollOptionsShape,
  })
  .strict();
export type HttpCsvConfig = z.infer<typeof httpCsvConfigSchema>;

/** Which field of a row holds which number; each defaults to the column name the SQL source uses. */
const fieldsSchema = z
  .object({
    day: z.string().min(1),
    value: z.string().min(1),
    numerator: z.string().min(1),
    denominator: z.string().min(1),
    score: z.string().min(1),
    responses: z.string().min(1),
    segment: z.string().min(1),
  })
  .partial()
  .strict();

/** An HTTP/CSV KPI's `query`. */
export const httpCsvQuerySchema = z
  .object({
    /** Another URL than the source's (same origin rules); `{since}` and `{until}` are filled in. */
    url: httpUrl.optional(),
    /** JSON only: selects the rows, e.g. `$.data[*]`. Default: the document is the array of rows. */
    jsonpath: z.string().startsWith("$").optional(),
    fields: fieldsSchema.default({}),
    /** The segment field holds a plain value (`pro`); it becomes `<segment_dimension>:pro`. */
    segment_dimension: z.string().min(1).optional(),
  })
  .strict();
export type HttpCsvQuery = z.infer<typeof httpCsvQuerySchema>;
