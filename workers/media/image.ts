/** Step `image`: WebP in up to three widths; EXIF (GPS location included) is not carried over. */
import path from 'node:path'
import fs from 'node:fs/promises'
import sharp from 'sharp'
import { env } from '../../app/lib/env.server.ts'
import type { StepInput, StepOutput } from './types.ts'

export const IMAGE_WIDTHS = [320, 960, 1920]

export async function imageStep({ file, source, dir }: StepInput): Promise<StepOutput> {
  const width = file.probe?.width ?? 0
  const widths = IMAGE_WIDTHS.filter((w) => w < width)
  widths.push(Math.min(width, IMAGE_WIDTHS.at(-1)!))
  const out = path.join(dir, 'image')
  await fs.mkdir(out)
  const animated = file.probe?.format === 'gif'
  const sizes = []
  for (const w of [...new Set(widths)]) {
    // sharp drops all metadata unless asked to keep it; .rotate() bakes the EXIF orientation in first.
    const info = await sharp(source, { limitInputPixels: env().IMAGE_MAX_PIXELS, animated })
      .rotate()
      .resize({ width: w, withoutEnlargement: true })
      .webp({ quality: 80 })
      .toFile(path.join(out, `w${w}.webp`))
    sizes.push({ file: `w${w}.webp`, width: info.width, height: info.height })
  }
  return { outputs: [{ name: 'image', path: out, isDir: true, meta: { sizes } }] }
}
