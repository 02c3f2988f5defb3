/**
 * The sensitive-word list: each platform keeps its own, and the lists of every platform above it
 * apply too. A comment that contains one is held for the moderators; metadata that contains one
 * is flagged in the reviewer's dossier.
 */
import { prisma } from '~/lib/db.server.ts'
import { validation } from '~/lib/errors.ts'
import { distinctEntries } from '~/lib/text.ts'
import { ttlCache } from '~/lib/ttl-cache.server.ts'
import { assertCan, type Actor } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'

const cache = ttlCache<string, string[]>(10_000)

/** The words that apply on a platform: its own and its ancestors'. */
export function wordsFor(platformPath: string) {
  return cache.get(platformPath, async () => {
    const rows = await prisma.platform.findMany({
      where: { id: { in: platformPath.split('/') } },
      select: { sensitiveWords: true },
    })
    return [...new Set(rows.flatMap((r) => r.sensitiveWords))]
  })
}

/** The words of `words` found in the text (case-insensitive, ignoring spaces put in to dodge). */
export function findWords(text: string, words: string[]) {
  const hay = text.toLowerCase().replace(/[\s\u200b-\u200f·.\-_*]+/g, '')
  return words.filter((w) => w && hay.includes(w.toLowerCase().replace(/\s+/g, '')))
}

export async function updateSensitiveWords(
  actor: Actor | null,
  platformId: string,
  text: unknown,
  meta: { ip?: string; requestId?: string } = {},
) {
  const platform = await prisma.platform.findUniqueOrThrow({
    where: { id: platformId },
    select: { id: true, path: true },
  })
  assertCan(actor, 'platform.admin', platform)
  const words = distinctEntries(typeof text === 'string' ? text : '', /[\s,，、;；]+/)
  if (words.length > 2_000 || words.some((w) => [...w].length > 30))
    throw validation({ sensitiveWords: 'safety.error.tooMany' }, 'safety.error.tooMany')
  await prisma.$transaction(async (tx) => {
    await tx.platform.update({ where: { id: platformId }, data: { sensitiveWords: words } })
    await writeAudit(
      {
        action: 'platform.update',
        actorId: actor!.userId,
        platformId,
        targetType: 'Platform',
        targetId: platformId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { sensitiveWords: words.length },
      },
      tx,
    )
  })
  cache.clear()
  return words.length
}
