/** Local channels are named without the leading "#" people often type. */
export function localChannel(name: string): string {
  return name.replace(/^#/, "") || "general";
}
