/** Cleaning text that people type or that other systems send, before it is stored or searched. */

// Control characters (C0 and DEL) and the invisible bidi/zero-width marks used to disguise text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e]/g
// eslint-disable-next-line no-control-regex -- as above, including tab and line breaks
const CONTROL_AND_BREAKS = /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e]/g

/** Removes control and invisible formatting characters; keeps line breaks and tabs if asked. */
export function stripControl(text: string, opts: { keepLineBreaks?: boolean } = {}) {
  return opts.keepLineBreaks
    ? text.replace(/\r\n?/g, '\n').replace(CONTROL, '').replace(/\t/g, ' ')
    : text.replace(CONTROL_AND_BREAKS, ' ')
}

/** The distinct entries of a list an admin typed (sensitive words, comment templates): split
 * at `separator`, control characters removed, trimmed, blanks dropped, first spelling kept. */
export function distinctEntries(text: string, separator: RegExp) {
  return [
    ...new Set(
      stripControl(text, { keepLineBreaks: true })
        .split(separator)
        .map((w) => w.trim())
        .filter(Boolean),
    ),
  ]
}

/** Search-match markers (U+0002 … U+0003) removed: the plain text of a highlighted field. */
export function unmark(text: string) {
  return text.replaceAll('\u0002', '').replaceAll('\u0003', '')
}
