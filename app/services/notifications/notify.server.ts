/**
 * Notifications: a row per recipient for the bell, and an e-mail through the configured
 * transport (the `message.send` job) for recipients with an address, both written in the
 * caller's transaction so a notification exists exactly when the change it reports does.
 * Texts are i18n keys under `notify.`, rendered in each recipient's language.
 */
import { prisma, type Prisma, type Tx } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { unauthenticated } from '~/lib/errors.ts'
import { isLocale, isMessageKey, translator, type MessageKey, type Translate } from '~/lib/i18n/index.ts'
import type { Actor } from '../authorization.server.ts'
import { enqueueJob } from '../jobs/outbox.server.ts'
import { newId } from '../uploads/start-upload.server.ts'

export const NOTIFY_KINDS = [
  'review.received',
  'review.assigned',
  'review.submitted',
  'review.decided',
  'review.recommendationAccepted',
  'report.handled',
  'market.schoolRequest',
  'market.orderPaid',
  'market.refunded',
] as const
export type NotifyKind = (typeof NOTIFY_KINDS)[number]

export async function notify(
  tx: Tx,
  userIds: string[],
  kind: NotifyKind,
  params: Record<string, string>,
  link: string,
) {
  const ids = [...new Set(userIds)]
  if (!ids.length) return
  await tx.notification.createMany({
    data: ids.map((userId) => ({ userId, kind, params: params as Prisma.InputJsonValue, link })),
  })
  const users = await tx.user.findMany({
    where: { id: { in: ids }, email: { not: null }, status: 'ACTIVE' },
    select: { id: true, email: true, locale: true },
  })
  for (const u of users) {
    const t = translator(isLocale(u.locale) ? u.locale : 'zh-CN')
    const subject = t(`notify.${kind}.subject` as MessageKey, params)
    const body = `${renderNotification(t, kind, params)}\n\n${env().APP_URL}${link}`
    await enqueueJob(
      tx,
      'message.send',
      { channel: 'email', to: u.email!, subject: subject.slice(0, 200), body: body.slice(0, 4000) },
      `notify.${newId()}`,
    )
  }
}

/** A notification's sentence in one language (outcome codes become words). */
export function renderNotification(t: Translate, kind: string, params: Record<string, string>) {
  const p = { ...params }
  if (p.outcome && isMessageKey(`notify.outcome.${p.outcome}`))
    p.outcome = t(`notify.outcome.${p.outcome}` as MessageKey)
  return isMessageKey(`notify.${kind}`) ? t(`notify.${kind}` as MessageKey, p) : kind
}

/** The reviewers of a platform (who hear of new submissions there). */
export async function reviewersOf(tx: Tx, platformId: string) {
  return (
    await tx.roleAssignment.findMany({
      where: { platformId, role: 'REVIEWER', user: { status: 'ACTIVE' } },
      select: { userId: true },
    })
  ).map((r) => r.userId)
}

export async function unreadCount(userId: string) {
  return prisma.notification.count({ where: { userId, readAt: null } })
}

export async function listNotifications(actor: Actor | null, take = 50) {
  if (!actor) throw unauthenticated()
  return prisma.notification.findMany({
    where: { userId: actor.userId },
    orderBy: { createdAt: 'desc' },
    take,
    select: { id: true, kind: true, params: true, link: true, readAt: true, createdAt: true },
  })
}

export async function markAllRead(actor: Actor | null) {
  if (!actor) throw unauthenticated()
  await prisma.notification.updateMany({ where: { userId: actor.userId, readAt: null }, data: { readAt: new Date() } })
}
