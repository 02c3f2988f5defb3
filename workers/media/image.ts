/**
 * Step `image`: first the original loses its location metadata, losslessly (strip-location.ts:
 * the stored original is replaced by the cleaned bytes, which are what a download hands out);
 * then WebP in up to three widths, which carry no metadata at all.
 */
import path from 'node:path'
import fs from 'node:fs/promises'
import sharp from 'sharp'
import { env } from '../../app/lib/env.server.ts'
import { MalformedImageError, stripLocation } from './strip-location.ts'
import { MediaRejection, type StepInput, type StepOutput } from './types.ts'

export const IMAGE_WIDTHS = [320, 960, 1920]

export async function imageStep({ file, source, dir }: StepInput): Promise<StepOutput> {
  let cleaned
  try {
    cleaned = stripLocation(await fs.readFile(source))
  } catch (e) {
    if (e instanceof MalformedImageError) throw new MediaRejection('media.error.corrupt', e.message)
    throw e
  }
  // Idempotent: a second run finds nothing left to remove, and records the same size.
  let original: StepOutput['original']
  if (cleaned.removed.length) {
    const p = path.join(dir, 'original')
    await fs.writeFile(p, cleaned.bytes)
    original = { path: p, removed: cleaned.removed }
  }
  const input = original?.path ?? source

  const width = file.probe?.width ?? 0
  const widths = IMAGE_WIDTHS.filter((w) => w < width)
  widths.push(Math.min(width, IMAGE_WIDTHS.at(-1)!))
  const out = path.join(dir, 'image')
  await fs.mkdir(out)
  const animated = file.probe?.format === 'gif'
  const sizes = []
  for (const w of [...new Set(widths)]) {
    // sharp drops all metadata unless asked to keep it; .rotate() bakes the EXIF orientation in first.
    const info = await sharp(input, { limitInputPixels: env().IMAGE_MAX_PIXELS, animated })
      .rotate()
      .resize({ width: w, withoutEnlargement: true })
      .webp({ quality: 80 })
      .toFile(path.join(out, `w${w}.webp`))
    sizes.push({ file: `w${w}.webp`, width: info.width, height: info.height })
  }
  return {
    outputs: [{ name: 'image', path: out, isDir: true, meta: { sizes } }],
    original,
    fileUpdate: { size: cleaned.bytes.length },
  }
}
