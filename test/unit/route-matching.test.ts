/**
 * The server's route matching is patched (ADR 0013: cached ranked branches, memoised path
 * expressions). The patch must be applied, and matching must give the same answers as the
 * unpatched router: the most specific route wins, params decode, and repeated calls agree.
 * The same ADR sets how the web process starts (WEB_NODE_ARGS); `npm start` must agree.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import type * as Router from '@remix-run/router'
import type { AgnosticRouteObject } from '@remix-run/router'

const require = createRequire(import.meta.url)
const routerFile = require.resolve('@remix-run/router')
const { matchRoutes, matchPath } = require(routerFile) as typeof Router

// Shaped like our app: a root layout, the platform layout, index, static, dynamic, dotted and splat routes.
const routes: AgnosticRouteObject[] = [
  {
    id: 'root',
    path: '',
    children: [
      { id: 'index', index: true },
      { id: 'healthz', path: 'healthz' },
      {
        id: 'p.$slug',
        path: 'p/:slug',
        children: [
          { id: 'p.$slug._index', index: true },
          { id: 'p.$slug.resources', path: 'resources' },
          { id: 'p.$slug.r.$id', path: 'r/:id' },
          { id: 'p.$slug.r.$id.download', path: 'r/:id/download' },
          { id: 'p.$slug.review', path: 'review' },
          { id: 'p.$slug.review_.$reviewId', path: 'review/:reviewId' },
          { id: 'p.$slug.audit[.]csv', path: 'audit.csv' },
          { id: 'p.$slug.audit', path: 'audit' },
        ],
      },
      { id: '$', path: '*' },
    ],
  },
]
const ids = (path: string) => matchRoutes(routes, path)?.map((m) => m.route.id)

describe('route matching (patched @remix-run/router)', () => {
  it('has the patch applied by postinstall', () => {
    const source = fs.readFileSync(routerFile, 'utf8')
    expect(source).toContain('rankedBranchesCache')
    expect(source).toContain('compiledPathCache')
  })

  it('picks the most specific route, the same on every call', () => {
    const cases: [string, string[]][] = [
      ['/', ['root', 'index']],
      ['/healthz', ['root', 'healthz']],
      ['/p/liling', ['root', 'p.$slug', 'p.$slug._index']],
      ['/p/liling/', ['root', 'p.$slug', 'p.$slug._index']],
      ['/p/liling/resources', ['root', 'p.$slug', 'p.$slug.resources']],
      ['/p/liling/r/abc', ['root', 'p.$slug', 'p.$slug.r.$id']],
      ['/p/liling/r/abc/download', ['root', 'p.$slug', 'p.$slug.r.$id.download']],
      ['/p/liling/review/42', ['root', 'p.$slug', 'p.$slug.review_.$reviewId']],
      ['/p/liling/audit.csv', ['root', 'p.$slug', 'p.$slug.audit[.]csv']],
      ['/p/liling/audit', ['root', 'p.$slug', 'p.$slug.audit']],
      ['/P/LILING/RESOURCES', ['root', 'p.$slug', 'p.$slug.resources']],
      ['/nowhere/at/all', ['root', '$']],
    ]
    for (let round = 0; round < 3; round++)
      for (const [path, expected] of cases) expect(ids(path), path).toEqual(expected)
  })

  it('decodes params and splats as before', () => {
    const m = matchRoutes(routes, '/p/%E9%86%B4%E9%99%B5/r/x%2Fy')!
    expect(m.at(-1)!.params).toEqual({ slug: '醴陵', id: 'x/y' })
    expect(matchRoutes(routes, '/a/b/c')!.at(-1)!.params['*']).toBe('a/b/c')
    // The memoised expressions are shared between calls: no state leaks from one to the next.
    expect(matchPath('/p/:slug', '/p/one')?.params.slug).toBe('one')
    expect(matchPath('/p/:slug', '/p/two')?.params.slug).toBe('two')
    expect(matchPath({ path: '/p/:slug', end: false }, '/p/two/more')?.pathnameBase).toBe('/p/two')
    expect(matchPath({ path: '/p/:slug', end: true }, '/p/two/more')).toBeNull()
  })

  it('sees a new routes array as new routes', () => {
    const other: AgnosticRouteObject[] = [{ id: 'x', path: 'x/:n' }]
    expect(matchRoutes(other, '/x/1')?.map((m) => m.route.id)).toEqual(['x'])
    expect(matchRoutes(other, '/p/liling')).toBeNull()
  })
})

describe('how the web process starts', () => {
  it('npm start runs the same command as the demo, the benchmarks and the e2e set-up', async () => {
    const { WEB_NODE_ARGS } = await import('../../scripts/lib/services.ts')
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(pkg.scripts.start).toBe(['node', ...WEB_NODE_ARGS].join(' '))
  })
})
