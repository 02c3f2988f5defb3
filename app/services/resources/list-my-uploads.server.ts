/** The uploader's own recent resources (on one platform, or everywhere when `platformId` is
 * null), with their files' processing status and the resource's publication status. */
import { prisma } from '~/lib/db.server.ts'
import type { Actor } from '../authorization.server.ts'

export async function listMyUploads(actor: Actor, platformId: string | null, take = 20) {
  const rows = await prisma.resource.findMany({
    where: { ownerId: actor.userId, ...(platformId ? { platformId } : {}), status: { not: 'DELETED' } },
    orderBy: { createdAt: 'desc' },
    take,
    select: {
      id: true,
      title: true,
      status: true,
      kind: true,
      createdAt: true,
      duplicateOfId: true,
      publishedAt: true,
      resourceType: true,
      ratingAvg: true,
      ratingCount: true,
      downloadCount: true,
      viewCount: true,
      platform: { select: { slug: true, name: true } },
      files: {
        where: { role: 'PRIMARY' },
        select: { status: true, originalName: true, size: true, errorKey: true },
        take: 1,
      },
    },
  })
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    kind: r.kind,
    createdAt: r.createdAt.toISOString(),
    duplicateOfId: r.duplicateOfId,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    resourceType: r.resourceType,
    platformSlug: r.platform.slug,
    platformName: r.platform.name,
    ratingAvg: r.ratingAvg,
    ratingCount: r.ratingCount,
    downloads: r.downloadCount,
    views: r.viewCount,
    fileStatus: r.files[0]?.status ?? null,
    fileName: r.files[0]?.originalName ?? '',
    size: Number(r.files[0]?.size ?? 0),
    errorKey: r.files[0]?.errorKey ?? null,
  }))
}
