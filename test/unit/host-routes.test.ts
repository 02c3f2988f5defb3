/**
 * A platform at its own address: remix.config.js mounts every /p/:slug route again at its short path
 * (app/routes/_host.tsx). Each one must be there, the same module at the same relative path, and
 * nothing else may be: the short paths are exactly the platform's pages.
 */
import path from 'node:path'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import config from '../../remix.config.js'

type Route = { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean; file: string }
const require = createRequire(import.meta.url)
const ROOT = path.resolve(import.meta.dirname, '../..')
const { defineRoutes } = require('@remix-run/dev/dist/config/routes.js') as {
  defineRoutes: (cb: (route: unknown) => void) => Record<string, Route>
}
const { flatRoutes } = require('@remix-run/dev/dist/config/flat-routes.js') as {
  flatRoutes: (dir: string, ignored: string[]) => Record<string, Route>
}

const configured = () => (config as { routes: (d: typeof defineRoutes) => Record<string, Route> }).routes(defineRoutes)

describe('short paths on a platform host', () => {
  const fileRoutes = Object.values(flatRoutes(path.join(ROOT, 'app'), ['**/.*', '**/*.test.*']))
  const host = configured()
  const underPlatform = (id: string): Route[] =>
    fileRoutes.filter((r) => r.parentId === id).flatMap((r) => [r, ...underPlatform(r.id)])
  const twinId = (id: string) => `routes/_host${id.slice('routes/p.$slug'.length)}`

  it('every /p/:slug route has its twin: same module, same relative path, the twin of its parent as parent', () => {
    const originals = underPlatform('routes/p.$slug')
    expect(originals.length).toBeGreaterThan(20)
    for (const r of originals) {
      const twin = host[twinId(r.id)]
      expect(twin, r.id).toBeDefined()
      expect(twin!.file, r.id).toBe(r.file)
      expect(twin!.path, r.id).toBe(r.path)
      expect(!!twin!.index, r.id).toBe(!!r.index)
      expect(twin!.parentId, r.id).toBe(r.parentId === 'routes/p.$slug' ? 'routes/_host' : twinId(r.parentId!))
    }
    // …and nothing else: the layout plus one twin per page.
    expect(Object.keys(host).sort()).toEqual(['routes/_host', ...originals.map((r) => twinId(r.id))].sort())
    expect(host['routes/_host']).toMatchObject({ file: 'routes/_host.tsx', parentId: 'root', path: undefined })
  })

  it('the short paths are the ones a teacher types', () => {
    const full = (r: Route): string => {
      const parent = r.parentId && host[r.parentId] ? full(host[r.parentId]!) : ''
      return r.path ? `${parent}/${r.path}` : parent
    }
    const paths = Object.values(host).map((r) => full(r) || '/')
    for (const p of ['/', '/login', '/resources', '/r/:id', '/r/:id/download', '/upload', '/me', '/review', '/admin'])
      expect(paths, p).toContain(p)
  })

  it('no other route answers "/" (the host layout decides: the platform home, or the default platform)', () => {
    const rootIndexes = fileRoutes.filter((r) => r.index && (r.parentId === 'root' || !r.parentId))
    expect(rootIndexes).toEqual([])
  })
})
