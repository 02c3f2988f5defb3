/**
 * Everything the resource page shows, with signed, expiring URLs for the player and viewers.
 * URLs are minted here, after the access check, and never for a file that is not ready.
 */
import { prisma } from '~/lib/db.server.ts'
import { objectKeys } from '../../../storage/keys.ts'
import { PREVIEW_IMAGE_WIDTH, PREVIEW_PAGES, type MediaScope } from '../../../storage/capabilities.ts'
import type { Actor, PlatformRef } from '../authorization.server.ts'
import { loadVisibleResource } from './access.server.ts'
import { bindingFor, mediaBase } from './media-grants.server.ts'
import { curriculumTrail, positionLabel } from '../catalogue/curriculum.server.ts'

/** The order steps happen in, for display. */
const STEP_ORDER = ['probe', 'transcode', 'poster', 'audio', 'convert', 'pages', 'text', 'image', 'subtitle']

type DerivMeta = Record<string, unknown>
type Sized = { src: string; width: number; height: number }
export type PlayerView =
  | {
      kind: 'VIDEO'
      hls: string
      mp4: string | null
      poster: string | null
      storyboard: { vtt: string; base: string } | null
      variants: unknown
      subtitles: { label: string; lang: string; src: string; default: boolean }[]
    }
  | { kind: 'AUDIO'; src: string; waveform: string | null }
  | { kind: 'DOCUMENT'; pages: Sized[]; total: number }
  | { kind: 'IMAGE'; sizes: Sized[] }

/**
 * The resource as a portal shows it. Anyone (signed in or not) sees a published resource in
 * the portal's scope; premium material plays and downloads only for those entitled to it.
 */
export async function getResourceView(
  actor: (Actor & { sessionId?: string }) | null,
  resourceId: string,
  portal: PlatformRef,
) {
  const { resource, isOwner, isReviewer, canManage, entitled } = await loadVisibleResource(actor, resourceId, portal)
  const [owner, files, positions, kps] = await Promise.all([
    prisma.user.findUnique({ where: { id: resource.ownerId }, select: { displayName: true } }),
    prisma.resourceFile.findMany({
      where: { resourceId },
      orderBy: { createdAt: 'asc' },
      include: { steps: { orderBy: { name: 'asc' } }, derivatives: true },
    }),
    prisma.resourceCurriculum.findMany({ where: { resourceId }, select: { nodeId: true } }),
    prisma.resourceKnowledgePoint.findMany({
      where: { resourceId },
      select: { knowledgePoint: { select: { id: true, name: true } } },
    }),
  ])
  const trails = await Promise.all(positions.map((p) => curriculumTrail(p.nodeId)))
  const primary = files.find((f) => f.role === 'PRIMARY') ?? null
  // Entitled viewers get the whole content; others see a preview of published premium material.
  const scope: MediaScope | null = entitled ? 'full' : resource.status === 'PUBLISHED' ? 'preview' : null
  const binding = scope ? bindingFor(resource, scope, actor) : null
  const prefixOf = (fileId: string) => objectKeys.derivedPrefix({ platformId: resource.platformId, resourceId, fileId })
  let player: PlayerView | null = null
  if (primary?.status === 'READY' && primary.kind && scope && binding) {
    const probe = (primary.probe ?? {}) as { duration?: number }
    const base = mediaBase(
      { platformId: resource.platformId, resourceId, fileId: primary.id, kind: primary.kind, duration: probe.duration },
      scope,
      binding,
    )
    const d = (name: string) => primary.derivatives.find((x) => x.name === name)
    const rel = (name: string) => {
      const x = d(name)
      return x ? base + x.key.slice(prefixOf(primary.id).length) : null
    }
    // Subtitles carry the whole lesson's words: with the full content only. A subtitle of a
    // pending revision is not live until the revision is approved (revisions.server.ts).
    const subtitles =
      scope !== 'full'
        ? []
        : files
            .filter(
              (f) =>
                f.role === 'SUBTITLE' &&
                f.status === 'READY' &&
                !f.revisionId &&
                f.derivatives.some((y) => y.name === 'subtitle'),
            )
            .map((f, i) => {
              const x = f.derivatives.find((y) => y.name === 'subtitle')!
              const subtitleBase = mediaBase(
                { platformId: resource.platformId, resourceId, fileId: f.id, kind: 'SUBTITLE' },
                scope,
                binding,
              )
              return {
                label: f.originalName.replace(/\.[^.]+$/, ''),
                lang: 'zh',
                src: subtitleBase + x.key.slice(prefixOf(f.id).length),
                default: i === 0,
              }
            })
    // A file without its main output (a harvested or metadata-only entry) has no player.
    if (primary.kind === 'VIDEO' && d('hls')) {
      const sb = d('storyboard')?.meta as DerivMeta | undefined
      player = {
        kind: 'VIDEO',
        hls: rel('hls')! + 'master.m3u8',
        mp4: scope === 'full' ? rel('mp4') : null,
        poster: rel('poster'),
        storyboard:
          sb && scope === 'full' ? { vtt: rel('storyboard')! + 'storyboard.vtt', base: rel('storyboard')! } : null,
        variants: (d('hls')?.meta as DerivMeta | undefined)?.variants ?? [],
        subtitles,
      }
    } else if (primary.kind === 'AUDIO' && d('audio')) {
      player = { kind: 'AUDIO', src: rel('audio')!, waveform: rel('waveform') }
    } else if (primary.kind === 'DOCUMENT' && d('pages')) {
      const pages = d('pages')
      const meta = (pages?.meta ?? {}) as { pages?: { file: string; width: number; height: number }[]; total?: number }
      player = {
        kind: 'DOCUMENT',
        pages: (meta.pages ?? [])
          .slice(0, scope === 'full' ? undefined : PREVIEW_PAGES)
          .map((p) => ({ width: p.width, height: p.height, src: rel('pages')! + p.file })),
        total: meta.total ?? meta.pages?.length ?? 0,
      }
    } else if (primary.kind === 'IMAGE' && d('image')) {
      const img = d('image')
      const meta = (img?.meta ?? {}) as { sizes?: { file: string; width: number; height: number }[] }
      player = {
        kind: 'IMAGE',
        sizes: (meta.sizes ?? [])
          .filter((s) => scope === 'full' || s.width <= PREVIEW_IMAGE_WIDTH)
          .map((s) => ({ width: s.width, height: s.height, src: rel('image')! + s.file })),
      }
    }
  }
  // Downloads go through a route that counts them (app/services/engagement/usage.server.ts).
  const downloadable = primary?.status === 'READY' && !!primary.storageKey && entitled && !!actor
  return {
    resource: {
      id: resource.id,
      title: resource.title,
      description: resource.description,
      status: resource.status,
      kind: resource.kind,
      resourceType: resource.resourceType,
      subject: resource.subject,
      grade: resource.grade,
      createdAt: resource.createdAt.toISOString(),
      duplicateOfId: resource.duplicateOfId,
      platform: resource.platform,
      ownerName: owner?.displayName ?? '',
      keywords: resource.keywords,
      language: resource.language,
      intendedUsers: resource.intendedUsers,
      licence: resource.licence,
      author: resource.author,
      provider: resource.provider,
      version: resource.version,
      publishedAt: resource.publishedAt?.toISOString() ?? null,
      priceCents: resource.priceCents,
      ratingAvg: resource.ratingAvg,
      ratingCount: resource.ratingCount,
      viewCount: resource.viewCount,
      downloadCount: resource.downloadCount,
      platformReviewRequired: resource.platform.reviewRequired,
      positions: trails.map((trail) => ({ path: trail.map((n) => n.id), trail, label: positionLabel(trail) })),
      knowledgePoints: kps.map((k) => k.knowledgePoint),
    },
    // Processing details and original file names are for the people who manage the resource.
    files: (canManage || isReviewer ? files : []).map((f) => ({
      id: f.id,
      role: f.role,
      status: f.status,
      kind: f.kind,
      originalName: f.originalName,
      size: Number(f.size),
      errorKey: f.errorKey,
      steps: [...f.steps]
        .sort((a, b) => STEP_ORDER.indexOf(a.name) - STEP_ORDER.indexOf(b.name))
        .map((s) => ({ name: s.name, status: s.status, errorKey: s.errorKey, attempts: s.attempts })),
    })),
    player,
    /** The player shows a preview only (premium material without a licence). */
    preview: !!player && scope === 'preview',
    downloadable,
    entitled,
    canManage,
    isOwner,
  }
}

export type ResourceView = Awaited<ReturnType<typeof getResourceView>>
