/** Test data through the real services, so invariants hold. */
import { prisma } from '~/lib/db.server.ts'
import { isAppError } from '~/lib/errors.ts'
import { createSession, getActorForSession } from '~/services/auth/sessions.server.ts'
import { seed, DEMO_PASSWORD } from '../../prisma/seed.ts'

export { DEMO_PASSWORD }

export async function seedDemo() {
  await seed(prisma)
}

export async function platformBySlug(slug: string) {
  return prisma.platform.findUniqueOrThrow({
    where: { slug },
    select: { id: true, path: true, slug: true, name: true },
  })
}

/** The actor for a demo user (by phone), as a signed-in request would see it. */
export async function actorByPhone(phone: string) {
  const user = await prisma.user.findUniqueOrThrow({ where: { phone }, select: { id: true } })
  const sid = await createSession(user.id, { ip: '127.0.0.1' })
  return (await getActorForSession(sid))!
}

export const PHONES = {
  provinceAdmin: '13800000001',
  provinceReviewer: '13800000002',
  regulator: '13800000004',
  changshaAdmin: '13800000011',
  changshaxianTeacher: '13800000014',
  zhuzhouReviewer: '13800000021',
  lilingAdmin: '13800000031',
  lilingReviewer: '13800000032',
  lilingTeacher: '13800000033',
  lilingTeacher2: '13800000034',
  xiangtanxianTeacher: '13800000041',
} as const

/** What a service call ended with: 'OK', or the code of the application error it threw. */
export async function outcomeOf(p: Promise<unknown>) {
  try {
    await p
    return 'OK'
  } catch (e) {
    if (isAppError(e)) return e.code
    throw e
  }
}

/** Polls until `check` holds (asynchronous effects: the outbox, the worker, the index). */
export async function until(check: () => Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('condition not met in time')
}

/** Fills in what a draft needs before it may be submitted (app/services/review/checks.server.ts):
 * a description and a curriculum position, as a teacher would in the form. */
export async function completeDraft(resourceId: string, nodeId = 'jh.math.pep.8b.c2.s1') {
  await prisma.resource.update({
    where: { id: resourceId },
    data: { description: '本节课讲解勾股定理的证明与应用，含课堂练习。' },
  })
  await prisma.resourceCurriculum.upsert({
    where: { resourceId_nodeId: { resourceId, nodeId } },
    create: { resourceId, nodeId },
    update: {},
  })
}
