/**
 * npm run search:reindex              rebuild the resources index from PostgreSQL and swap it in
 * npm run search:reindex -- --check   report drift between PostgreSQL and the index (exit 1 if any)
 * npm run search:reindex -- --fix     report drift and repair it by id
 * Searches keep working throughout: the rebuild goes into a fresh index, swapped in atomically.
 */
import { prisma } from '../../app/lib/db.server.ts'
import { reconcileResources, reindexResources } from '../../search/resources-index.ts'

const mode = process.argv.includes('--fix') ? 'fix' : process.argv.includes('--check') ? 'check' : 'rebuild'
let code = 0
if (mode === 'rebuild') {
  const r = await reindexResources({ onProgress: (n) => process.stdout.write(`\r  ${n} documents`) })
  process.stdout.write('\n')
  console.log(
    `reindexed ${r.documents} resources into ${r.uid} in ${r.seconds.toFixed(1)} s (${Math.round(r.docsPerSecond)} docs/s); ${r.caughtUp} changed during the rebuild were replayed`,
  )
  const drift = await reconcileResources()
  console.log(
    `drift after swap: ${drift.missing.length} missing, ${drift.extra.length} extra, ${drift.stale.length} stale`,
  )
} else {
  const d = await reconcileResources({ fix: mode === 'fix' })
  console.log(`database: ${d.database} published · index: ${d.index} documents`)
  for (const [name, ids] of [
    ['missing from the index', d.missing],
    ['in the index but not published', d.extra],
    ['stale in the index', d.stale],
  ] as const)
    console.log(
      `  ${name}: ${ids.length}${ids.length ? ` (${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', …' : ''})` : ''}`,
    )
  const drift = d.missing.length + d.extra.length + d.stale.length
  if (drift && mode === 'check') code = 1
  if (drift && mode === 'fix') console.log(`repaired ${drift} documents`)
}
await prisma.$disconnect()
process.exit(code)
