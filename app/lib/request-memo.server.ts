import type { AppLoadContext } from '@remix-run/node'

/**
 * Work shared by the loaders of one request (the current user, the current platform).
 * Remix gives each loader its own copy of the Request, but the same load context object, so
 * the memo hangs off the context and disappears with it.
 */
const memos = new WeakMap<AppLoadContext, Map<string, Promise<unknown>>>()

export function memoForRequest<T>(context: AppLoadContext, key: string, compute: () => Promise<T>): Promise<T> {
  let m = memos.get(context)
  if (!m) memos.set(context, (m = new Map()))
  let p = m.get(key) as Promise<T> | undefined
  if (!p) {
    p = compute()
    m.set(key, p)
  }
  return p
}
