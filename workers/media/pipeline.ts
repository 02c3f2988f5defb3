/**
 * Runs one processing step of one file: the handler of the `media.step` job.
 *
 * Idempotent: a step already done (or superseded by a manual retry) is skipped; outputs go to
 * fixed object keys and Derivative rows unique per (file, name), and keys a previous, killed
 * run left behind are removed, so re-running never duplicates anything. Scratch files live in
 * a per-step folder that is removed whatever happens (workdir.ts).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { createWriteStream, createReadStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { UnrecoverableError } from 'bullmq'
import { prisma, type Prisma } from '../../app/lib/db.server.ts'
import { logger } from '../../app/lib/logger.server.ts'
import type { JobPayload, MediaStepName } from '../../app/lib/jobs.ts'
import type { MessageKey } from '../../app/lib/i18n/index.ts'
import { enqueueRunnable, planSteps, settleFile } from '../../app/services/media/steps.server.ts'
import { storage } from '../../storage/index.ts'
import { tusMetaDir, tusMetaFile } from '../../storage/tus-meta.ts'
import { env } from '../../app/lib/env.server.ts'
import { contentTypeFor, objectKeys, type FileRef } from '../../storage/keys.ts'
import type { LocalDiskDriver } from '../../storage/local-driver.ts'
import { withWorkdir } from './workdir.ts'
import { ToolError } from './tools.ts'
import { MediaRejection, type Probe, type StepInput, type StepOutput } from './types.ts'
import { probeStep } from './probe.ts'
import { posterStep, transcodeStep } from './video.ts'
import { audioStep } from './audio.ts'
import { convertStep, pagesStep, textStep } from './document.ts'
import { imageStep } from './image.ts'
import { replaceOriginal } from './strip-location.ts'
import { subtitleStep } from './subtitle.ts'

export const STEPS: Record<MediaStepName, (input: StepInput) => Promise<StepOutput>> = {
  probe: probeStep,
  transcode: transcodeStep,
  poster: posterStep,
  audio: audioStep,
  convert: convertStep,
  pages: pagesStep,
  text: textStep,
  image: imageStep,
  subtitle: subtitleStep,
}

/** A local path for an object: the file itself on local disk, a streamed copy from S3. */
async function localCopy(key: string, dir: string, name: string) {
  if (storage.kind === 'local') return (storage as LocalDiskDriver).pathFor(key)
  const target = path.join(dir, name)
  await pipeline(await storage.get(key), createWriteStream(target))
  return target
}

async function* walk(dir: string, base = dir): AsyncGenerator<string> {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) yield* walk(p, base)
    else if (e.isFile()) yield path.relative(base, p).split(path.sep).join('/')
  }
}

/** Uploads a step's outputs and removes keys an earlier run of the same output left behind. */
async function publish(ref: FileRef, outputs: NonNullable<StepOutput['outputs']>) {
  const rows: { name: string; key: string; isPrefix: boolean; size: bigint; meta?: Prisma.InputJsonValue }[] = []
  for (const o of outputs) {
    const prefix = objectKeys.derived(ref, o.name) + '/'
    const written = new Set<string>()
    let size = 0
    const files: string[] = []
    if (o.isDir) for await (const rel of walk(o.path)) files.push(rel)
    else files.push(path.basename(o.path))
    const base = o.isDir ? o.path : path.dirname(o.path)
    // A few uploads at a time: HLS ladders have hundreds of small segments.
    for (let i = 0; i < files.length; i += 6) {
      await Promise.all(
        files.slice(i, i + 6).map(async (rel) => {
          const key = objectKeys.derived(ref, `${o.name}/${rel}`)
          const st = await fs.stat(path.join(base, rel))
          await storage.put(key, createReadStream(path.join(base, rel)), {
            contentType: contentTypeFor(key),
            size: st.size,
          })
          written.add(key)
          size += st.size
        }),
      )
    }
    for await (const key of storage.list(prefix)) if (!written.has(key)) await storage.remove(key)
    rows.push({
      name: o.name,
      key: o.isDir ? prefix : objectKeys.derived(ref, `${o.name}/${files[0]}`),
      isPrefix: !!o.isDir,
      size: BigInt(size),
      meta: o.meta,
    })
  }
  return rows
}

/** Removes every derivative object of a file (used when its bytes are refused). */
export async function removeAllObjects(ref: FileRef, originalKey: string | null) {
  for await (const key of storage.list(objectKeys.derivedPrefix(ref))) await storage.remove(key)
  if (originalKey) {
    await storage.remove(originalKey)
    // tus bookkeeping next to the original on S3.
    if (storage.kind === 's3') {
      await storage.remove(`${originalKey}.info`).catch(() => undefined)
      await storage.remove(`${originalKey}.part`).catch(() => undefined)
    } else {
      await fs.rm(tusMetaFile(tusMetaDir(env().STORAGE_LOCAL_ROOT), originalKey), { force: true })
    }
  }
}

function describeFailure(e: unknown): { key: MessageKey; detail: string } {
  if (e instanceof MediaRejection) return { key: e.key, detail: e.detail.slice(0, 2000) }
  if (e instanceof ToolError)
    return {
      key: e.timedOut ? 'media.error.timeout' : 'media.error.processing',
      detail: `${e.message}\n${e.stderr}`.slice(0, 2000),
    }
  return {
    key: 'media.error.processing',
    detail: String(e instanceof Error ? (e.stack ?? e.message) : e).slice(0, 2000),
  }
}

export async function runMediaStep(
  payload: JobPayload<'media.step'>,
  ctx: { attempt: number; maxAttempts: number; signal: AbortSignal },
) {
  const { fileId, step, run } = payload
  const row = await prisma.processingStep.findUnique({
    where: { fileId_name: { fileId, name: step } },
    include: {
      file: {
        include: {
          resource: { select: { id: true, platformId: true } },
          derivatives: { select: { name: true, key: true } },
        },
      },
    },
  })
  // Done already, or superseded by a manual retry, or the file was refused meanwhile: nothing to do.
  if (
    !row ||
    row.run !== run ||
    row.status === 'DONE' ||
    row.status === 'FAILED' ||
    row.file.status !== 'PROCESSING' ||
    !row.file.storageKey
  )
    return
  const file = row.file
  const ref: FileRef = { platformId: file.platformId, resourceId: file.resourceId, fileId }
  await prisma.processingStep.update({
    where: { id: row.id },
    data: { status: 'RUNNING', startedAt: new Date(), attempts: { increment: 1 } },
  })
  const started = Date.now()
  try {
    const { result, rows } = await withWorkdir(`${step}`, async (dir) => {
      const source = await localCopy(file.storageKey!, dir, 'source')
      const input: StepInput = {
        file: {
          id: fileId,
          platformId: file.platformId,
          resourceId: file.resourceId,
          kind: file.kind,
          probe: file.probe as Probe | null,
          originalName: file.originalName,
        },
        source,
        dir,
        signal: ctx.signal,
        derivative: async (name) => {
          const d = file.derivatives.find((x) => x.name === name)
          return d ? localCopy(d.key, dir, `derivative-${name}${path.extname(d.key)}`) : null
        },
      }
      const result = await STEPS[step](input)
      ctx.signal.throwIfAborted()
      // An image's original without its location metadata (the one place an original is rewritten).
      if (result.original) {
        await replaceOriginal(file.storageKey!, result.original.path)
        logger.info({ fileId, removed: result.original.removed }, 'location metadata removed from the original')
      }
      return { result, rows: await publish(ref, result.outputs ?? []) }
    })
    await prisma.$transaction(async (tx) => {
      // Steps of one file that finish at the same moment (pages and text after convert) settle
      // one after the other: without the lock each saw the other still running, neither marked
      // the file READY, and it stayed PROCESSING for good (seen in `npm run demo`).
      await tx.$queryRaw`SELECT id FROM "ResourceFile" WHERE id = ${fileId} FOR UPDATE`
      for (const r of rows)
        await tx.derivative.upsert({
          where: { fileId_name: { fileId, name: r.name } },
          create: { fileId, ...r },
          update: r,
        })
      const u = result.fileUpdate
      if (u)
        await tx.resourceFile.update({
          where: { id: fileId },
          data: {
            kind: u.kind,
            mimeType: u.mimeType,
            probe: u.probe as Prisma.InputJsonValue | undefined,
            textContent: u.textContent,
            // The stored size, once the original was cleaned; sha256 stays that of the bytes as
            // uploaded, so that the same photo uploaded again is still found as a duplicate.
            size: u.size === undefined ? undefined : BigInt(u.size),
          },
        })
      if (u?.kind && file.role === 'PRIMARY')
        await tx.resource.update({ where: { id: file.resourceId }, data: { kind: u.kind } })
      if (step === 'probe') {
        const kind = u?.kind ?? file.kind!
        if (file.role === 'SUBTITLE' && kind !== 'SUBTITLE') throw new MediaRejection('media.error.unsupported')
        await planSteps(tx, fileId, kind)
      }
      await tx.processingStep.update({
        where: { id: row.id },
        data: { status: 'DONE', finishedAt: new Date(), errorKey: null, errorDetail: null },
      })
      await enqueueRunnable(tx, fileId)
      await settleFile(tx, fileId)
    })
    logger.info({ fileId, step, ms: Date.now() - started }, 'media step done')
  } catch (e) {
    const rejected = e instanceof MediaRejection
    const final = rejected || ctx.attempt >= ctx.maxAttempts
    const { key, detail } = describeFailure(e)
    logger.warn(
      { fileId, step, attempt: ctx.attempt, final, errorKey: key, detail: detail.slice(0, 300) },
      'media step failed',
    )
    if (!final) {
      // BullMQ retries with backoff; the uploader sees the step waiting with the last error.
      await prisma.processingStep.update({
        where: { id: row.id },
        data: { status: 'WAITING', errorKey: key, errorDetail: detail },
      })
      throw e
    }
    const originalKey = file.storageKey
    await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "ResourceFile" WHERE id = ${fileId} FOR UPDATE`
      await tx.processingStep.update({
        where: { id: row.id },
        data: { status: 'FAILED', finishedAt: new Date(), errorKey: key, errorDetail: detail },
      })
      await settleFile(tx, fileId)
      if (rejected) {
        // Bad input: nothing of it is kept. The row stays to tell the uploader why.
        await tx.derivative.deleteMany({ where: { fileId } })
        await tx.resourceFile.update({
          where: { id: fileId },
          data: { status: 'REJECTED', storageKey: null, errorKey: key, errorDetail: detail },
        })
      }
    })
    if (rejected) await removeAllObjects(ref, originalKey)
    throw rejected ? e : new UnrecoverableError(`${key}: ${detail.slice(0, 200)}`)
  }
}
