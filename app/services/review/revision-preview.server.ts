/**
 * The player a revision would give the resource, for the reviewer's dossier: the pending
 * replacement (or, without one, the published main file) with the published subtitles and the
 * pending ones. Every link is bound to the viewer's session (never a public link): a pending
 * file is not published, and its link dies with the session or the viewer's grant.
 * The caller checks that the viewer may see the revision (getReviewDossier: a reviewer of the
 * review's platform).
 */
import { prisma } from '~/lib/db.server.ts'
import { objectKeys } from '../../../storage/keys.ts'
import type { Actor } from '../authorization.server.ts'
import { bindingFor, mediaBase } from '../resources/media-grants.server.ts'
import type { PlayerView } from '../resources/resource-view.server.ts'

type Meta = Record<string, unknown>

export async function revisionPreview(
  actor: (Actor & { sessionId?: string }) | null,
  resourceId: string,
  revisionId: string,
): Promise<PlayerView | null> {
  const resource = await prisma.resource.findUnique({
    where: { id: resourceId },
    select: { platformId: true, licence: true },
  })
  if (!resource) return null
  // Bound to the session whatever the licence: nothing of a pending revision is public.
  const binding = bindingFor({ status: 'DRAFT', licence: resource.licence }, 'full', actor)
  if (!binding) return null
  const files = await prisma.resourceFile.findMany({
    where: {
      resourceId,
      status: 'READY',
      OR: [{ revisionId }, { revisionId: null, role: { in: ['PRIMARY', 'SUBTITLE'] } }],
    },
    orderBy: { createdAt: 'asc' },
    include: { derivatives: true },
  })
  const main =
    files.filter((f) => f.revisionId && f.role === 'REPLACEMENT').at(-1) ??
    files.find((f) => !f.revisionId && f.role === 'PRIMARY')
  if (!main?.kind) return null
  const prefixOf = (fileId: string) => objectKeys.derivedPrefix({ platformId: resource.platformId, resourceId, fileId })
  const probe = (main.probe ?? {}) as { duration?: number }
  const base = mediaBase(
    { platformId: resource.platformId, resourceId, fileId: main.id, kind: main.kind, duration: probe.duration },
    'full',
    binding,
  )
  const d = (name: string) => main.derivatives.find((x) => x.name === name)
  const rel = (name: string) => {
    const x = d(name)
    return x ? base + x.key.slice(prefixOf(main.id).length) : null
  }
  if (main.kind === 'VIDEO' && d('hls')) {
    const subtitles = files
      .filter((f) => f.role === 'SUBTITLE' && f.derivatives.some((y) => y.name === 'subtitle'))
      .map((f, i) => {
        const x = f.derivatives.find((y) => y.name === 'subtitle')!
        const subtitleBase = mediaBase(
          { platformId: resource.platformId, resourceId, fileId: f.id, kind: 'SUBTITLE' },
          'full',
          binding,
        )
        return {
          label: f.originalName.replace(/\.[^.]+$/, ''),
          lang: 'zh',
          src: subtitleBase + x.key.slice(prefixOf(f.id).length),
          default: i === 0,
        }
      })
    const sb = d('storyboard')
    return {
      kind: 'VIDEO',
      hls: rel('hls')! + 'master.m3u8',
      mp4: rel('mp4'),
      poster: rel('poster'),
      storyboard: sb ? { vtt: rel('storyboard')! + 'storyboard.vtt', base: rel('storyboard')! } : null,
      variants: (d('hls')?.meta as Meta | undefined)?.variants ?? [],
      subtitles,
    }
  }
  if (main.kind === 'AUDIO' && d('audio')) return { kind: 'AUDIO', src: rel('audio')!, waveform: rel('waveform') }
  if (main.kind === 'DOCUMENT' && d('pages')) {
    const meta = (d('pages')?.meta ?? {}) as {
      pages?: { file: string; width: number; height: number }[]
      total?: number
    }
    return {
      kind: 'DOCUMENT',
      pages: (meta.pages ?? []).map((p) => ({ width: p.width, height: p.height, src: rel('pages')! + p.file })),
      total: meta.total ?? meta.pages?.length ?? 0,
    }
  }
  if (main.kind === 'IMAGE' && d('image')) {
    const meta = (d('image')?.meta ?? {}) as { sizes?: { file: string; width: number; height: number }[] }
    return {
      kind: 'IMAGE',
      sizes: (meta.sizes ?? []).map((s) => ({ width: s.width, height: s.height, src: rel('image')! + s.file })),
    }
  }
  return null
}
