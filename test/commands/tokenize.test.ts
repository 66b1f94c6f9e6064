import { describe, expect, it } from "vitest";
import { closest } from "../../src/commands/suggest.ts";
import { normalizeInput, tokenize } from "../../src/commands/tokenize.ts";

const words = (text: string) => tokenize(normalizeInput(text)).map((t) => t.raw);

describe("normalizeInput", () => {
  it.each([
    ["/clg activation", "activation"],
    ["<@U0123|clg> /clg activation", "activation"],
    ["<at>clg bot</at> activation?", "activation"],
    ["threshold x red &lt; 5 &amp;", "threshold x red < 5 &"],
    ["\u201Cquoted\u201D \u2018single\u2019", "\"quoted\" 'single'"],
    ["ｆｕｌｌ　ｗｉｄｔｈ", "full width"],
    ["a\u200Bb\u0007c", "a b c"],
    ["churn ≤ 5 ≥ 6", "churn <= 5 >= 6"],
    ["?!.", ""],
  ])("%j -> %j", (input, expected) => {
    expect(normalizeInput(input)).toBe(expected);
  });
});

describe("tokenize", () => {
  it.each([
    ["  activation   28d ", ["activation", "28d"]],
    ['subscribe digest "0 9 * * 1-5" UTC', ["subscribe", "digest", "0 9 * * 1-5", "UTC"]],
    ["subscribe digest “0 9 * * 1-5”", ["subscribe", "digest", "0 9 * * 1-5"]],
    ["red <50%", ["red", "<", "50%"]],
    ["red<=50", ["red", "<=", "50"]],
    ["a >= b > c", ["a", ">=", "b", ">", "c"]],
    ["customer's churn", ["customer's", "churn"]],
    ['for owner:"Dana Ruiz"', ["for", "owner:", "Dana Ruiz"]],
    ['unclosed "quote runs on', ["unclosed", "quote runs on"]],
    ['empty ""', ["empty", ""]],
  ])("%j", (input, expected) => {
    expect(words(input)).toEqual(expected);
  });

  it("keeps the user's case in raw and lower-cases word", () => {
    expect(tokenize("Europe/Berlin")).toEqual([
      { raw: "Europe/Berlin", word: "europe/berlin", quoted: false },
    ]);
  });
});

describe("closest", () => {
  const candidates = ["activation", "retention", "churn", "nps", "mrr"].map((w) => ({
    key: w,
    label: w,
    group: w,
  }));
  it.each([
    ["activaton", ["activation"]],
    ["retent", ["retention"]],
    ["chrun", ["churn"]],
    ["xyzzy", []],
    ["", []],
    ["a".repeat(100), []],
  ])("%j -> %j", (input, expected) => {
    expect(closest(input, candidates)).toEqual(expected);
  });

  it("offers at most three, one per group", () => {
    const many = ["aa", "ab", "ac", "ad", "ae"].map((w) => ({ key: w, label: w, group: w }));
    expect(closest("a", many)).toHaveLength(3);
    const sameGroup = ["churn", "churn rate", "logo churn"].map((w) => ({
      key: w,
      label: w,
      group: "churn",
    }));
    expect(closest("churn", sameGroup)).toEqual(["churn"]);
  });
});
