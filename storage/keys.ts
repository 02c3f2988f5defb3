/**
 * Every object key is built here, so originals and derivatives stay apart and a key can never
 * be steered by user input (ids are checked; file names never appear in keys).
 *   originals/<platformId>/<resourceId>/<uploadId>
 *   derived/<platformId>/<resourceId>/<kind>/<name>
 */
const SAFE_ID = /^[a-z0-9]{8,40}$/i
const SAFE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,120}$/

function id(v: string, what: string) {
  if (!SAFE_ID.test(v)) throw new Error(`unsafe ${what} in object key`)
  return v
}

export const objectKeys = {
  original: (platformId: string, resourceId: string, uploadId: string) =>
    `originals/${id(platformId, 'platformId')}/${id(resourceId, 'resourceId')}/${id(uploadId, 'uploadId')}`,
  derived: (platformId: string, resourceId: string, kind: 'hls' | 'poster' | 'pages' | 'text' | 'image' | 'audio' | 'subtitle' | 'storyboard', name: string) => {
    if (!SAFE_NAME.test(name) || name.includes('..')) throw new Error('unsafe derivative name in object key')
    return `derived/${id(platformId, 'platformId')}/${id(resourceId, 'resourceId')}/${kind}/${name}`
  },
  healthProbe: () => `system/readiness-probe`,
}

export function isValidKey(key: string) {
  return /^(originals|derived|system)\/[a-zA-Z0-9._/-]+$/.test(key) && !key.split('/').includes('..')
}
