/** What a preview shows of premium material without a licence (enforced by the media tokens, storage/capabilities.ts). */
export const PREVIEW_SECONDS = 60
export const PREVIEW_PAGES = 3
/** The widest image size a preview may show. */
export const PREVIEW_IMAGE_WIDTH = 320
