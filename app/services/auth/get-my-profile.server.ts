import { prisma } from '~/lib/db.server.ts'

/** The signed-in user's own profile and roles (only ever called with the actor's own id). */
export function getMyProfile(userId: string) {
  return prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      displayName: true,
      email: true,
      phone: true,
      schoolName: true,
      subjects: true,
      homePlatform: { select: { slug: true, name: true } },
      roles: {
        select: { id: true, role: true, platform: { select: { slug: true, name: true } } },
        orderBy: { createdAt: 'asc' },
      },
    },
  })
}
