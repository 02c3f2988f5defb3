/**
 * Step one of an upload: the browser declares the file (name, size) and gets a draft
 * resource and a file record to upload into. The tus endpoint then accepts bytes only for a
 * file record that is still uploading, from someone the same rule lets upload into that
 * resource (upload-rights.server.ts, asked here and by tus-gate.server.ts).
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { titleFromFileName, typeFromFileName } from './draft-defaults.ts'
import { prisma } from '~/lib/db.server.ts'
import { tooLarge, validation, conflict, unauthenticated } from '~/lib/errors.ts'
import { objectKeys } from '../../../storage/keys.ts'
import type { Actor, PlatformRef } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { kindFromName } from '../media/sniff.server.ts'
import { formatMb, maxAnyBytes, maxBytes } from '../media/limits.server.ts'
import { loadResourceForActor } from '../resources/access.server.ts'
import { assertMayUpload, newDraftTarget } from './upload-rights.server.ts'
import { revisionForUpload } from '../resources/revisions.server.ts'

const input = z.object({
  name: z.string().trim().min(1).max(255),
  size: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Attach to an existing video resource (subtitles) instead of starting a new resource. */
  attachTo: z
    .string()
    .regex(/^[a-z0-9]{8,40}$/i)
    .optional(),
  /** With attachTo: the file replaces the resource's main file (a new version for review). */
  replace: z.boolean().optional(),
})

export type StartUploadInput = z.input<typeof input>

/** A new id usable in object keys (storage/keys.ts accepts 8–40 letters and digits). */
export const newId = () => randomUUID().replace(/-/g, '')

export async function startUpload(
  actor: Actor | null,
  platform: PlatformRef,
  raw: StartUploadInput,
  meta: { ip?: string; requestId?: string } = {},
) {
  if (!actor) throw unauthenticated()
  // Attaching to a resource is checked once it is loaded; a new draft right away.
  if (!raw.attachTo) assertMayUpload(actor, newDraftTarget(actor, platform))
  const parsed = input.safeParse(raw)
  if (!parsed.success) throw validation({ file: 'upload.error.badRequest' }, 'upload.error.badRequest')
  const { name, size, attachTo, replace } = parsed.data
  if (size === 0) throw validation({ file: 'media.error.empty' }, 'media.error.empty')
  // The name only picks which size limit applies before any byte arrives; the bytes decide the
  // kind, and the tus endpoint applies the limit again once it has seen them.
  const guess = kindFromName(name)
  const limit = guess ? maxBytes(guess) : maxAnyBytes()
  if (size > limit) throw tooLarge('media.error.tooLarge', { limit: formatMb(limit) })

  if (attachTo && replace) {
    // A new main file for a draft or a resource sent back for changes. The current file stays
    // in place (and playable) until the new one is processed; then they swap, and the old one is
    // kept as an earlier version (app/services/media/steps.server.ts, settleFile).
    // Strangers get "not found" (a draft's existence does not leak); then the upload rule.
    const { resource } = await loadResourceForActor(actor, attachTo)
    if (resource.platformId !== platform.id)
      throw validation({ file: 'upload.error.badRequest' }, 'upload.error.badRequest')
    assertMayUpload(actor, { role: 'REPLACEMENT', resource })
    if (guess === 'SUBTITLE')
      throw validation({ file: 'upload.error.subtitleNeedsVideo' }, 'upload.error.subtitleNeedsVideo')
    const busy = await prisma.resourceFile.count({
      where: { resourceId: resource.id, role: 'REPLACEMENT', status: { in: ['UPLOADING', 'PROCESSING'] } },
    })
    if (busy) throw conflict('upload.error.replacementInProgress')
    const fileId = newId()
    // On a published resource whose platform reviews changes, the file joins its pending revision.
    const revisionId = await prisma.$transaction(async (tx) => {
      const revisionId = await revisionForUpload(tx, actor, resource)
      await tx.resourceFile.create({
        data: {
          id: fileId,
          resourceId: resource.id,
          platformId: platform.id,
          role: 'REPLACEMENT',
          originalName: name,
          size,
          storageKey: objectKeys.original({ platformId: platform.id, resourceId: resource.id, fileId }),
          revisionId,
        },
      })
      await writeAudit(
        {
          action: 'resource.upload_start',
          actorId: actor.userId,
          platformId: platform.id,
          targetType: 'Resource',
          targetId: resource.id,
          ip: meta.ip,
          requestId: meta.requestId,
          data: { name, size, replaces: true, revisionId },
        },
        tx,
      )
      return revisionId
    })
    return { resourceId: resource.id, fileId, revisionId }
  }

  if (attachTo) {
    const { resource } = await loadResourceForActor(actor, attachTo)
    if (resource.platformId !== platform.id)
      throw validation({ file: 'upload.error.badRequest' }, 'upload.error.badRequest')
    assertMayUpload(actor, { role: 'SUBTITLE', resource })
    if (guess !== 'SUBTITLE') throw validation({ file: 'media.error.unsupported' }, 'media.error.unsupported')
    const fileId = newId()
    const revisionId = await prisma.$transaction(async (tx) => {
      const revisionId = await revisionForUpload(tx, actor, resource)
      await tx.resourceFile.create({
        data: {
          id: fileId,
          resourceId: resource.id,
          platformId: platform.id,
          role: 'SUBTITLE',
          originalName: name,
          size,
          storageKey: objectKeys.original({ platformId: platform.id, resourceId: resource.id, fileId }),
          revisionId,
        },
      })
      return revisionId
    })
    return { resourceId: resource.id, fileId, revisionId }
  }

  const resourceId = newId()
  const fileId = newId()
  // The form opens with these; the teacher keeps or changes them.
  const draft = { title: titleFromFileName(name), resourceType: typeFromFileName(name) }
  await prisma.$transaction(async (tx) => {
    await tx.resource.create({
      data: {
        id: resourceId,
        platformId: platform.id,
        ownerId: actor.userId,
        ...draft,
      },
    })
    await tx.resourceFile.create({
      data: {
        id: fileId,
        resourceId,
        platformId: platform.id,
        originalName: name,
        size,
        storageKey: objectKeys.original({ platformId: platform.id, resourceId, fileId }),
      },
    })
    await writeAudit(
      {
        action: 'resource.upload_start',
        actorId: actor.userId,
        platformId: platform.id,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { name, size },
      },
      tx,
    )
  })
  return { resourceId, fileId, draft }
}
