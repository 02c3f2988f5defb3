/** Plain-text answers from the Express layer (outside Remix), in the visitor's language. */
import type { Request, Response } from 'express'
import { translator, type MessageKey } from '../lib/i18n/index.ts'
import { localeFromCookieHeader } from '../lib/locale.server.ts'

export const localeOf = (req: Request) => localeFromCookieHeader(req.headers.cookie)

export function textFor(req: Request, key: MessageKey, params?: Record<string, string | number>) {
  return translator(localeOf(req))(key, params)
}

export function sendText(req: Request, res: Response, status: number, key: MessageKey) {
  res.status(status).type('text/plain; charset=utf-8').send(textFor(req, key))
}
