/** What the Express server hands every loader and action (see app/server/index.ts). */
export type RequestContext = {
  requestId: string
  ip: string
  /** Platform slug bound to the request's host name, when the host is a platform's domain. */
  hostPlatformSlug: string | null
  /** Random value of the CSRF cookie; the form token is an HMAC of it (app/lib/csrf.server.ts). */
  csrfCookie: string
  /** This response's Content-Security-Policy nonce (app/server/security.ts); only inline scripts we render carry it. */
  cspNonce: string
}

declare module '@remix-run/node' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- module augmentation: Remix's context becomes ours
  interface AppLoadContext extends RequestContext {}
}

// Type loaders and actions for Single Fetch (turned on in remix.config.js).
declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}
