/**
 * One instance per process for clients that hold connections (Prisma, Redis, Meilisearch).
 * The Express server and the Remix server bundle load these modules separately; keeping the
 * instance on globalThis makes both share it, and survives dev rebuilds.
 */
export function singleton<T>(name: string, make: () => T): T {
  const g = globalThis as unknown as { __ercSingletons?: Map<string, unknown> }
  g.__ercSingletons ??= new Map()
  if (!g.__ercSingletons.has(name)) g.__ercSingletons.set(name, make())
  return g.__ercSingletons.get(name) as T
}
