/**
 * The server's route matching is patched (ADR 0013: cached ranked branches, memoised path
 * expressions). The patch must be applied, and matching must give the same answers as the
 * unpatched router: the most specific route wins, params decode, and repeated calls agree.
 * "The unpatched router" is real code, not a memory of it: the installed file with the patch
 * reversed (by patch-package's own parser and applier), loaded from a temporary folder.
 * The same ADR sets how the web process starts (WEB_NODE_ARGS); `npm start` must agree.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { afterAll, describe, expect, it } from 'vitest'
import type * as Router from '@remix-run/router'
import type { AgnosticRouteObject } from '@remix-run/router'

const require = createRequire(import.meta.url)
const ROOT = path.resolve(import.meta.dirname, '../..')
const routerFile = require.resolve('@remix-run/router')
const patched = require(routerFile) as typeof Router

// ── The unpatched router: the installed file with our patch reversed ─────────────────────────
type Effect = { type: string; path?: string }
const { parsePatchFile } = require('patch-package/dist/patch/parse.js') as {
  parsePatchFile: (text: string) => Effect[]
}
const { reversePatch } = require('patch-package/dist/patch/reverse.js') as { reversePatch: (p: Effect[]) => Effect[] }
const { executeEffects } = require('patch-package/dist/patch/apply.js') as {
  executeEffects: (e: Effect[], o: { dryRun: boolean; cwd: string; bestEffort: boolean }) => void
}

const patchDir = path.join(ROOT, 'scripts/patches')
const patchFiles = fs.readdirSync(patchDir).filter((f) => f.startsWith('@remix-run+router+') && f.endsWith('.patch'))
const REL = 'node_modules/@remix-run/router/dist/router.cjs.js'
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'erc-unpatched-router-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function loadUnpatched() {
  expect(patchFiles).toHaveLength(1)
  const effects = parsePatchFile(fs.readFileSync(path.join(patchDir, patchFiles[0]!), 'utf8'))
  // The patch touches the CommonJS build only, and that is the file Node loads.
  expect(effects.map((e) => [e.type, e.path])).toEqual([['patch', REL]])
  expect(routerFile.split(path.sep).slice(-4).join('/')).toBe(REL.split('/').slice(-4).join('/'))
  fs.mkdirSync(path.dirname(path.join(tmp, REL)), { recursive: true })
  fs.copyFileSync(routerFile, path.join(tmp, REL))
  const reverse = reversePatch(effects)
  // The dry run throws unless every hunk's context matches: the installed file is the patched one.
  executeEffects(reverse, { dryRun: true, cwd: tmp, bestEffort: false })
  executeEffects(reverse, { dryRun: false, cwd: tmp, bestEffort: false })
  return path.join(tmp, REL)
}

// ── Route trees ───────────────────────────────────────────────────────────────────────────────
/** The app's own route tree, built the way Remix builds it (flat routes under app/routes, root on top). */
function appRoutes(): AgnosticRouteObject[] {
  const { flatRoutes } = require('@remix-run/dev/dist/config/flat-routes.js') as {
    flatRoutes: (
      dir: string,
      ignored: string[],
    ) => Record<string, { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean }>
  }
  const manifest = Object.values(flatRoutes(path.join(ROOT, 'app'), ['**/.*', '**/*.test.*']))
  const childrenOf = (parentId: string): AgnosticRouteObject[] =>
    manifest
      .filter((r) => r.parentId === parentId)
      .map((r) =>
        r.index
          ? { id: r.id, index: true, path: r.path, caseSensitive: r.caseSensitive }
          : { id: r.id, path: r.path, caseSensitive: r.caseSensitive, children: childrenOf(r.id) },
      )
  return [{ id: 'root', path: '', children: childrenOf('root') }]
}

// Shaped like our app: a root layout, the platform layout, index, static, dynamic, dotted and splat routes.
const handWritten: AgnosticRouteObject[] = [
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
          { id: 'case', path: 'Case/Sensitive', caseSensitive: true },
        ],
      },
      { id: '$', path: '*' },
    ],
  },
]

/** Every full route path in a tree ("/p/:slug/r/:id"). */
function fullPaths(routes: AgnosticRouteObject[], base = ''): string[] {
  return routes.flatMap((r) => {
    const here = r.path ? `${base}/${r.path}`.replace(/\/+/g, '/') : base
    return [here || '/', ...fullPaths(r.children ?? [], here)]
  })
}

/** Concrete URLs for a route path: its params filled in several ways, and variants of each. */
function urlsFor(pattern: string): string[] {
  const fills = ['liling', '%E9%86%B4%E9%99%B5', 'x%2Fy', 'a.b', 'cmx518nc7004kss7dfbfvo2we', 'A%20b', '-']
  return fills.flatMap((v) => {
    const url = pattern.replace(/:\w+/g, v).replace(/\*$/, 'a/b/c')
    return [url, `${url}/`, url.toUpperCase(), `${url}/extra`, `${url}.data`]
  })
}

const ODD = [
  '/',
  '',
  '//',
  '/p',
  '/p/',
  '/p//liling',
  '/p/liling//resources',
  '/p/liling/r',
  '/p/liling/r/',
  '/p/liling/review/',
  '/p/liling/audit.csv/',
  '/p/liling/audit.CSV',
  '/p/liling/Case/Sensitive',
  '/p/liling/case/sensitive',
  '/nowhere/at/all',
  '/p/%E9%86%B4%E9%99%B5/r/x%2Fy',
  '/p/%zz/r/1',
  '/p/liling/r/1?tab=files#top',
  '/build/entry.client-XYZ.js',
  '/healthz',
  '/HEALTHZ',
]

type Summary =
  { id: string; params: Record<string, string | undefined>; pathname: string; pathnameBase: string }[] | null
const summary = (m: ReturnType<typeof Router.matchRoutes>): Summary =>
  m?.map((x) => ({ id: x.route.id!, params: { ...x.params }, pathname: x.pathname, pathnameBase: x.pathnameBase })) ??
  null

describe('route matching (patched @remix-run/router)', () => {
  it('has the patch applied by postinstall', () => {
    const source = fs.readFileSync(routerFile, 'utf8')
    expect(source).toContain('rankedBranchesCache')
    expect(source).toContain('compiledPathCache')
  })

  it('gives the same matches as the unpatched router for every route of the app, on every call', async () => {
    const file = loadUnpatched()
    const source = fs.readFileSync(file, 'utf8')
    expect(source).not.toContain('rankedBranchesCache')
    expect(source).not.toContain('compiledPathCache')
    const unpatched = require(file) as typeof Router
    expect(unpatched).not.toBe(patched)
    expect(typeof unpatched.matchRoutes).toBe('function')

    const app = appRoutes()
    const trees = { app, handWritten }
    // The app really has its routes: the platform layout and its pages, index routes, a splat.
    const paths = fullPaths(app)
    expect(paths).toEqual(expect.arrayContaining(['/', '/p/:slug', '/p/:slug/r/:id', '/p/:slug/audit.csv', '/*']))
    expect(paths.length).toBeGreaterThan(20)
    const urls = [...new Set([...paths.flatMap(urlsFor), ...fullPaths(handWritten).flatMap(urlsFor), ...ODD])]
    expect(urls.length).toBeGreaterThan(500)

    let compared = 0
    let matchedDeeper = 0
    const differences: string[] = []
    const warn = console.warn
    console.warn = () => {} // the router warns about the malformed escape in '/p/%zz/r/1', both copies alike
    try {
      // Rounds interleave the trees, and the last round uses fresh copies of them: cached
      // branches must follow the array they were made for, never the one matched before.
      for (let round = 0; round < 3; round++) {
        for (const [name, tree] of Object.entries(trees)) {
          const routes = round === 2 ? (structuredClone(tree) as AgnosticRouteObject[]) : tree
          for (const url of urls)
            for (const basename of [undefined, '/p'] as const) {
              const want = summary(unpatched.matchRoutes(routes, url, basename))
              const got = summary(patched.matchRoutes(routes, url, basename))
              compared++
              if ((want?.length ?? 0) > 2) matchedDeeper++
              if (JSON.stringify(got) !== JSON.stringify(want))
                differences.push(
                  `${name} ${url} (basename ${basename}): ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`,
                )
            }
        }
      }
      // matchPath directly, as loaders and the server runtime call it, for each flag combination.
      for (const pattern of fullPaths(app))
        for (const url of urlsFor(pattern).concat(ODD))
          for (const caseSensitive of [false, true])
            for (const end of [true, false]) {
              const want = unpatched.matchPath({ path: pattern, caseSensitive, end }, url)
              const got = patched.matchPath({ path: pattern, caseSensitive, end }, url)
              compared++
              if (JSON.stringify(got) !== JSON.stringify(want))
                differences.push(`matchPath ${pattern} ${url} ${caseSensitive} ${end}: ${JSON.stringify(got)}`)
            }
    } finally {
      console.warn = warn
    }
    expect(differences.slice(0, 20)).toEqual([])
    expect(compared).toBeGreaterThan(5_000)
    expect(matchedDeeper).toBeGreaterThan(500) // most URLs reach a page below the platform layout
    // Every route against every URL: it grows with the app (5 s on an idle 2-core machine with 45 routes).
  }, 30_000)

  it('picks the most specific route, the same on every call', () => {
    const ids = (p: string) => patched.matchRoutes(handWritten, p)?.map((m) => m.route.id)
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
      ['/p/liling/Case/Sensitive', ['root', 'p.$slug', 'case']],
      ['/p/liling/case/sensitive', ['root', '$']],
      ['/nowhere/at/all', ['root', '$']],
    ]
    for (let round = 0; round < 3; round++) for (const [p, expected] of cases) expect(ids(p), p).toEqual(expected)
  })

  it('decodes params and splats as before', () => {
    const m = patched.matchRoutes(handWritten, '/p/%E9%86%B4%E9%99%B5/r/x%2Fy')!
    expect(m.at(-1)!.params).toEqual({ slug: '醴陵', id: 'x/y' })
    expect(patched.matchRoutes(handWritten, '/a/b/c')!.at(-1)!.params['*']).toBe('a/b/c')
    // The memoised expressions are shared between calls: no state leaks from one to the next.
    expect(patched.matchPath('/p/:slug', '/p/one')?.params.slug).toBe('one')
    expect(patched.matchPath('/p/:slug', '/p/two')?.params.slug).toBe('two')
    expect(patched.matchPath({ path: '/p/:slug', end: false }, '/p/two/more')?.pathnameBase).toBe('/p/two')
    expect(patched.matchPath({ path: '/p/:slug', end: true }, '/p/two/more')).toBeNull()
  })

  it('sees a new routes array as new routes', () => {
    const other: AgnosticRouteObject[] = [{ id: 'x', path: 'x/:n' }]
    expect(patched.matchRoutes(other, '/x/1')?.map((m) => m.route.id)).toEqual(['x'])
    expect(patched.matchRoutes(other, '/p/liling')).toBeNull()
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
