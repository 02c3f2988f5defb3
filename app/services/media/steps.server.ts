/**
 * The processing plan of an uploaded file and the bookkeeping between steps. The worker runs
 * one step per job (workers/media/pipeline.ts); here we decide which steps a file needs,
 * which may start, and what the file's and resource's status is once steps finish.
 *
 *   every file:  probe ─┬─ VIDEO:    transcode (one decode → HLS ladder, storyboard, MP4), poster
 *                       ├─ AUDIO:    audio (AAC rendition + waveform)
 *                       ├─ DOCUMENT: convert (→ PDF) ─┬─ pages (WebP previews)
 *                       │                             └─ text (pdftotext)
 *                       ├─ IMAGE:    image (WebP sizes, metadata stripped)
 *                       └─ SUBTITLE: subtitle (validated → WebVTT)
 */
import { prisma, type MediaKind, type Tx } from '~/lib/db.server.ts'
import type { MediaStepName } from '~/lib/jobs.ts'
import { enqueueJob } from '../jobs/outbox.server.ts'
import { canTransition } from '../resources/state.server.ts'
import { afterFileSettled } from '../resources/revisions.server.ts'

export const STEP_PLAN: Record<MediaKind, { name: MediaStepName; after: MediaStepName[] }[]> = {
  VIDEO: [
    { name: 'transcode', after: [] },
    { name: 'poster', after: [] },
  ],
  AUDIO: [{ name: 'audio', after: [] }],
  DOCUMENT: [
    { name: 'convert', after: [] },
    { name: 'pages', after: ['convert'] },
    { name: 'text', after: ['convert'] },
  ],
  IMAGE: [{ name: 'image', after: [] }],
  SUBTITLE: [{ name: 'subtitle', after: [] }],
}

export const stepJobId = (fileId: string, step: string, run: number) => `${fileId}.${step}.${run}`

/** Creates the probe step and queues it: called when the last byte of an upload arrives. */
export async function planProbe(tx: Tx, fileId: string) {
  await tx.processingStep.upsert({
    where: { fileId_name: { fileId, name: 'probe' } },
    create: { fileId, name: 'probe' },
    update: {},
  })
  await enqueueRunnable(tx, fileId)
}

/** After probing: the steps this kind of file needs. */
export async function planSteps(tx: Tx, fileId: string, kind: MediaKind) {
  for (const s of STEP_PLAN[kind])
    await tx.processingStep.upsert({
      where: { fileId_name: { fileId, name: s.name } },
      create: { fileId, name: s.name, after: ['probe', ...s.after] },
      update: {},
    })
}

/** Queues every waiting step whose predecessors are done, each exactly once per run. */
export async function enqueueRunnable(tx: Tx, fileId: string) {
  const steps = await tx.processingStep.findMany({ where: { fileId } })
  const done = new Set(steps.filter((s) => s.status === 'DONE').map((s) => s.name))
  for (const s of steps) {
    if (s.status !== 'WAITING' || s.queuedAt || !s.after.every((a) => done.has(a))) continue
    const { count } = await tx.processingStep.updateMany({
      where: { id: s.id, queuedAt: null },
      data: { queuedAt: new Date() },
    })
    if (count === 1)
      await enqueueJob(
        tx,
        'media.step',
        { fileId, step: s.name as MediaStepName, run: s.run },
        stepJobId(fileId, s.name, s.run),
      )
  }
}

/** Sets the file's (and, for a primary file, the resource's) status from its steps. */
export async function settleFile(tx: Tx, fileId: string) {
  const file = await tx.resourceFile.findUniqueOrThrow({
    where: { id: fileId },
    include: { steps: true, resource: { select: { id: true, status: true } } },
  })
  if (file.status !== 'PROCESSING') return file.status
  const failed = file.steps.find((s) => s.status === 'FAILED')
  if (failed) {
    await tx.resourceFile.update({
      where: { id: fileId },
      data: { status: 'FAILED', errorKey: failed.errorKey, errorDetail: failed.errorDetail },
    })
    if (file.role === 'PRIMARY' && canTransition(file.resource.status, 'FAILED'))
      await tx.resource.updateMany({
        where: { id: file.resource.id, status: file.resource.status },
        data: { status: 'FAILED' },
      })
    return 'FAILED' as const
  }
  if (file.steps.length > 1 && file.steps.every((s) => s.status === 'DONE')) {
    await tx.resourceFile.update({
      where: { id: fileId },
      data: { status: 'READY', errorKey: null, errorDetail: null },
    })
    // A replacement of a pending revision waits for its review (revisions.server.ts).
    if (file.role === 'REPLACEMENT' && !file.revisionId) {
      // The new main file is ready: it takes over, and the old one is kept as an earlier version.
      await tx.resourceFile.updateMany({
        where: { resourceId: file.resourceId, role: 'PRIMARY' },
        data: { role: 'PREVIOUS' },
      })
      await tx.resourceFile.update({ where: { id: fileId }, data: { role: 'PRIMARY' } })
      await tx.resource.update({ where: { id: file.resourceId }, data: { kind: file.kind } })
    }
    await afterFileSettled(tx, file, 'READY')
    return 'READY' as const
  }
  return 'PROCESSING' as const
}

/** What the uploader's page polls: one row per file with its steps. */
export async function processingStatus(resourceId: string) {
  return prisma.resourceFile.findMany({
    where: { resourceId },
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      role: true,
      status: true,
      kind: true,
      originalName: true,
      errorKey: true,
      steps: {
        select: { name: true, status: true, errorKey: true, attempts: true, startedAt: true, finishedAt: true },
        orderBy: { name: 'asc' },
      },
    },
  })
}
