/**
 * GET /p/:slug/api/search — the catalogue search as JSON, for scripts and other platforms'
 * portals. Same parameters, checks and scope as the catalogue page (the same service); a bad
 * parameter is a 400 whose `error` names it in the caller's language. Matches in `title` and
 * `snippet` are wrapped in U+0002 … U+0003.
 *
 * It is served by Express directly rather than as a Remix resource route: it is the hot path
 * other systems poll, and Remix's request handling was most of the 5 ms budget for overhead
 * over Meilisearch itself (see the catalogue benchmark).
 */
import type { NextFunction, Request, Response } from 'express'
import { isAppError } from '../lib/errors.ts'
import { platformDirectory } from '../models/platform.server.ts'
import { parseSearchParams, searchResources } from '../services/search/search-resources.server.ts'
import { textFor } from './plain-text.ts'

export async function searchApi(req: Request, res: Response, next: NextFunction) {
  try {
    const slug = req.params.slug ?? ''
    const platform = /^[a-z0-9-]{1,64}$/.test(slug) ? await platformDirectory.bySlug(slug) : null
    if (!platform) {
      res.status(404).json({ error: textFor(req, 'error.notFound.body') })
      return
    }
    const query = parseSearchParams(new URLSearchParams(req.originalUrl.split('?')[1] ?? ''))
    const r = await searchResources(platform, query, { facets: true })
    // Results carry thumbnail tokens: a browser may keep them briefly, a shared cache never.
    res.setHeader('Cache-Control', 'private, max-age=15')
    res.json({ total: r.total, page: r.page, totalPages: r.totalPages, hits: r.hits, facets: r.facets })
  } catch (e) {
    if (isAppError(e)) {
      res.status(e.status).json({ error: textFor(req, e.messageKey, e.params), param: e.params.param ?? null })
      return
    }
    next(e)
  }
}
