import sharp from "sharp";

export interface FittedPng {
  png: Buffer;
  width: number;
  height: number;
}

/**
 * The PNG within `max` x `max` pixels (Teams shows card images up to 1024 x 1024): returned as is when it
 * fits, otherwise scaled down keeping its proportions. Throws when the bytes are not a PNG.
 */
export async function fitPng(png: Buffer, max = 1024): Promise<FittedPng> {
  const meta = await sharp(png).metadata();
  if (meta.format !== "png" || !meta.width || !meta.height) throw new Error("not a PNG image");
  if (meta.width <= max && meta.height <= max) return { png, width: meta.width, height: meta.height };
  const { data, info } = await sharp(png)
    .resize({ width: max, height: max, fit: "inside" })
    .png({ compressionLevel: 9 })
    .toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
}
