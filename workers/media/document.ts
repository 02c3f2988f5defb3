/**
 * Document steps: `convert` (LibreOffice → PDF; a PDF is used as it is), `pages` (pdftoppm →
 * WebP page images for the viewer) and `text` (pdftotext, stored for search).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { env } from '../../app/lib/env.server.ts'
import { pdfPages } from './probe.ts'
import { run, tools, ToolError } from './tools.ts'
import { MediaRejection, timeout, type StepInput, type StepOutput } from './types.ts'

export async function convertStep({ file, source, dir, signal }: StepInput): Promise<StepOutput> {
  const p = file.probe!
  if (p.format === 'pdf') return {}
  const input = path.join(dir, 'in', `source.${p.officeFormat ?? 'doc'}`)
  await fs.mkdir(path.dirname(input))
  await fs.symlink(source, input)
  const outDir = path.join(dir, 'out')
  try {
    // Each conversion has its own LibreOffice profile: concurrent soffice runs sharing one lock up.
    await run(
      tools.soffice(),
      [
        '--headless',
        '--norestore',
        '--nologo',
        '--nolockcheck',
        '--nodefault',
        `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
        '--convert-to',
        'pdf',
        '--outdir',
        outDir,
        input,
      ],
      { cwd: dir, signal, timeoutMs: timeout(240_000) },
    )
  } catch (e) {
    if (!(e instanceof ToolError) || e.timedOut) throw e
  }
  // soffice exits 0 even when it could not read the file: the PDF's presence is the verdict.
  const pdf = path.join(outDir, 'source.pdf')
  const st = await fs.stat(pdf).catch(() => null)
  if (!st || st.size === 0) throw new MediaRejection('media.error.corrupt', 'LibreOffice produced no PDF')
  const pages = await pdfPages(pdf, signal)
  return { outputs: [{ name: 'pdf', path: pdf, meta: { pages } }], fileUpdate: { probe: { ...p, pages } } }
}

async function pdfFor(input: StepInput) {
  return (await input.derivative('pdf')) ?? input.source
}

export async function pagesStep(input: StepInput): Promise<StepOutput> {
  const { dir, signal, file } = input
  const pdf = await pdfFor(input)
  const pages = Math.min(file.probe?.pages ?? (await pdfPages(pdf, signal)), env().DOCUMENT_MAX_PREVIEW_PAGES)
  const raw = path.join(dir, 'raw')
  const out = path.join(dir, 'pages')
  await fs.mkdir(raw)
  await fs.mkdir(out)
  await run(
    tools.pdftoppm(),
    ['-png', '-r', '96', '-scale-to', '1400', '-f', '1', '-l', String(pages), pdf, path.join(raw, 'p')],
    { cwd: dir, signal, timeoutMs: timeout(60_000 + pages * 3_000) },
  )
  const pngs = (await fs.readdir(raw)).filter((f) => f.endsWith('.png')).sort()
  const list = []
  for (const [i, png] of pngs.entries()) {
    const name = `p-${String(i + 1).padStart(4, '0')}.webp`
    const info = await sharp(path.join(raw, png)).webp({ quality: 78 }).toFile(path.join(out, name))
    list.push({ file: name, width: info.width, height: info.height })
    await fs.rm(path.join(raw, png))
  }
  if (!list.length) throw new MediaRejection('media.error.corrupt', 'no page could be rendered')
  return {
    outputs: [
      {
        name: 'pages',
        path: out,
        isDir: true,
        meta: { count: list.length, total: file.probe?.pages ?? list.length, pages: list },
      },
    ],
  }
}

export async function textStep(input: StepInput): Promise<StepOutput> {
  const pdf = await pdfFor(input)
  const out = path.join(input.dir, 'text.txt')
  await run(tools.pdftotext(), ['-enc', 'UTF-8', '-q', pdf, out], {
    cwd: input.dir,
    signal: input.signal,
    timeoutMs: timeout(120_000),
  })
  const text = (await fs.readFile(out, 'utf8'))
    .replace(/\f/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  await fs.writeFile(out, text)
  return {
    outputs: [{ name: 'text', path: out, meta: { chars: text.length } }],
    fileUpdate: { textContent: text.slice(0, 200_000) },
  }
}
