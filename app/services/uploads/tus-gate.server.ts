/**
 * The rules the tus endpoint (app/server/uploads.ts) applies, as plain service calls:
 *  - who may create, continue or inspect an upload: whoever may start it (the one rule in
 *    upload-rights.server.ts), and only while it is uploading;
 *  - what the first bytes must be (a kind we handle, within that kind's size limit);
 *  - what happens when the last byte arrives (duplicate check, then processing is queued).
 */
import { prisma } from '~/lib/db.server.ts'
import { conflict, notFound, tooLarge, unauthenticated, unsupported, validation } from '~/lib/errors.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { logger } from '~/lib/logger.server.ts'
import type { Actor } from '../authorization.server.ts'
import type { Sniffed } from '../media/sniff.server.ts'
import { formatMb, maxBytes } from '../media/limits.server.ts'
import { planProbe } from '../media/steps.server.ts'
import { transition } from '../resources/state.server.ts'
import { assertMayUpload } from './upload-rights.server.ts'

type TusMethod = 'POST' | 'PATCH' | 'HEAD' | 'DELETE' | 'OPTIONS' | 'GET'

/**
 * Returns the file's object key when `actor` may do `method` on the upload of `fileId`.
 * Creating and continuing an upload also record it as active (`updatedAt`), in the same
 * statement that checks it is still uploading: the abandoned-upload sweep
 * (app/services/media/orphans.server.ts) only takes a file whose last activity is old, so a
 * chunk and the sweep can never both win.
 */
export async function authorizeTusRequest(
  actor: Actor | null,
  fileId: string,
  method: TusMethod,
  uploadLength?: number,
) {
  if (!actor) throw unauthenticated()
  const file = await prisma.resourceFile.findUnique({
    where: { id: fileId },
    include: {
      resource: {
        select: { ownerId: true, status: true, kind: true, platform: { select: { id: true, path: true } } },
      },
    },
  })
  if (!file || !file.storageKey) throw notFound()
  const sending = method === 'POST' || method === 'PATCH'
  // Still allowed to upload there: a role revoked mid-upload stops the bytes.
  assertMayUpload(actor, { role: file.role, resource: file.resource }, { inspectOnly: !sending })
  if ((sending || method === 'DELETE') && file.status !== 'UPLOADING') throw conflict('upload.error.notUploading')
  if (method === 'POST' && (uploadLength === undefined || uploadLength !== Number(file.size)))
    throw validation({ file: 'upload.error.sizeMismatch' }, 'upload.error.sizeMismatch')
  if (sending) {
    const { count } = await prisma.resourceFile.updateMany({
      where: { id: fileId, status: 'UPLOADING' },
      data: { updatedAt: new Date() },
    })
    if (count !== 1) throw conflict('upload.error.notUploading')
  }
  return file.storageKey
}

/** Checks the kind sniffed from the first bytes. Throws the error the uploader will see. */
export async function acceptSniffed(fileId: string, sniffed: Sniffed | null) {
  const file = await prisma.resourceFile.findUniqueOrThrow({ where: { id: fileId } })
  if (!sniffed) throw unsupported('media.error.unsupported')
  if (file.role === 'SUBTITLE' && sniffed.kind !== 'SUBTITLE') throw unsupported('media.error.unsupported')
  if ((file.role === 'PRIMARY' || file.role === 'REPLACEMENT') && sniffed.kind === 'SUBTITLE')
    throw unsupported('upload.error.subtitleNeedsVideo')
  const limit = maxBytes(sniffed.kind)
  if (Number(file.size) > limit) throw tooLarge('media.error.tooLarge', { limit: formatMb(limit) })
  await prisma.resourceFile.update({ where: { id: fileId }, data: { kind: sniffed.kind, mimeType: sniffed.mime } })
  // The resource's kind from the first bytes already (probing confirms it): subtitles can be
  // attached to a video while it is still processing.
  if (file.role === 'PRIMARY')
    await prisma.resource.update({ where: { id: file.resourceId }, data: { kind: sniffed.kind } })
}

/** Records a refused upload. The caller removes the bytes. */
export async function rejectUpload(fileId: string, errorKey: MessageKey, detail?: string) {
  await prisma.$transaction(async (tx) => {
    const file = await tx.resourceFile.findUnique({
      where: { id: fileId },
      include: { resource: { select: { id: true, status: true } } },
    })
    if (!file || file.status !== 'UPLOADING') return
    await tx.resourceFile.update({
      where: { id: fileId },
      data: { status: 'REJECTED', errorKey, errorDetail: detail?.slice(0, 2000) ?? null, storageKey: null },
    })
    if (file.role === 'PRIMARY' && file.resource.status === 'DRAFT')
      await transition(tx, file.resource.id, 'DRAFT', 'FAILED')
  })
  logger.info({ fileId, errorKey }, 'upload refused')
}

export type FinishResult = { duplicateOf: string | null; removeKey: string | null }

/**
 * The last byte arrived. Same bytes already on this platform: the new copy is dropped and the
 * uploader is pointed at the existing resource. Otherwise processing starts. Idempotent.
 */
export async function finishUpload(fileId: string, sha256: string): Promise<FinishResult> {
  return prisma.$transaction(async (tx) => {
    const file = await tx.resourceFile.findUnique({
      where: { id: fileId },
      include: { resource: { select: { id: true, status: true } } },
    })
    if (!file || file.status !== 'UPLOADING') return { duplicateOf: null, removeKey: null }
    // Serialise finishes of the same bytes on the same platform, so two simultaneous uploads
    // of one file cannot both become originals.
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`${file.platformId}:${sha256}`}))::text AS locked`
    if (file.role === 'PRIMARY' || file.role === 'REPLACEMENT') {
      const existing = await tx.resourceFile.findFirst({
        where: {
          platformId: file.platformId,
          sha256,
          role: 'PRIMARY',
          status: { in: ['PROCESSING', 'READY'] },
          id: { not: fileId },
          resource: { status: { not: 'DELETED' } },
        },
        select: { resourceId: true },
      })
      if (existing) {
        await tx.resourceFile.update({
          where: { id: fileId },
          data: { status: 'DUPLICATE', sha256, storageKey: null, uploadedAt: new Date(), errorKey: 'upload.duplicate' },
        })
        // A replacement that duplicates existing bytes is refused; the resource keeps its file.
        if (file.role === 'PRIMARY')
          await transition(tx, file.resource.id, 'DRAFT', 'DUPLICATE', { duplicateOfId: existing.resourceId })
        return { duplicateOf: existing.resourceId, removeKey: file.storageKey }
      }
    }
    await tx.resourceFile.update({
      where: { id: fileId },
      data: { status: 'PROCESSING', sha256, uploadedAt: new Date() },
    })
    await planProbe(tx, fileId)
    return { duplicateOf: null, removeKey: null }
  })
}
