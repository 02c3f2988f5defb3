/**
 * English singular forms of the strings that show a count (app/lib/i18n/index.ts, "Plurals"):
 * `<key>_one` is used when the count is 1, the key itself otherwise. A form for a key that does
 * not exist fails the type check; test/unit/i18n-plural.test.ts checks the placeholders agree.
 */
import type { PluralForms } from './index.ts'

export const enPlural: PluralForms = {
  'search.count_one': '{n} resource',
  'reviewer.media.pageCount_one': '{n} page',
  'reviewer.done.count_one': '{n} decision',
  'templates.saved_one': '{n} comment template saved.',
  'check.incomplete_one': '{n} item is not complete yet; complete it to submit for review.',
  'check.incompleteHint_one': 'Complete {n} item before submitting:',
  'search.pages_one': '{n} page',
  'search.downloads_one': '{n} download',
  'search.starsAtLeast_one': '{n} star and up',
  'engagement.ratingSummary_one': 'Average {avg} from {n} rating',
  'engagement.stars_one': '{n} star',
  'engagement.yourRating_one': 'Your rating: {n} star. Change it:',
  'engagement.rateN_one': 'Rate {n} star',
  'engagement.reports_one': '{n} report',
  'resource.views_one': '{n} view',
  'me.itemCount_one': '{n} resource',
  'viewer.morePages_one': 'The preview shows only the first {count} page; download for the rest.',
  'review.queue.olderThan_one': 'Waiting over {n} day',
  'review.age.days_one': '{n} day',
  'review.flag.duplicateTitle_one': '{n} resource on this platform has the same title',
  'auth.signIn.slowDown_one': 'Too many sign-in attempts from your network. Try again in {seconds} second.',
  'auth.tooManyAttempts_one': 'Too many attempts. Try again in {minutes} minute.',
}
