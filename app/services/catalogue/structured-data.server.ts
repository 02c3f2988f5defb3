/**
 * LRMI / schema.org `LearningResource` JSON-LD and Open Graph tags for a resource page, so
 * search engines and other platforms read the curriculum alignment the way we store it.
 */
import type { ResourceView } from '../resources/resource-view.server.ts'

const CC_URLS: Record<string, string> = {
  'CC-BY': 'https://creativecommons.org/licenses/by/4.0/',
  'CC-BY-SA': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'CC-BY-NC': 'https://creativecommons.org/licenses/by-nc/4.0/',
  'CC-BY-NC-SA': 'https://creativecommons.org/licenses/by-nc-sa/4.0/',
  'CC-BY-ND': 'https://creativecommons.org/licenses/by-nd/4.0/',
  'CC-BY-NC-ND': 'https://creativecommons.org/licenses/by-nc-nd/4.0/',
  CC0: 'https://creativecommons.org/publicdomain/zero/1.0/',
}

/** schema.org learningResourceType values for our type codes. */
const LRMI_TYPES: Record<string, string> = {
  MICRO_LECTURE: 'video lecture',
  COURSEWARE: 'presentation',
  LESSON_PLAN: 'lesson plan',
  STUDY_GUIDE: 'study guide',
  EXERCISE: 'practice problems',
  TASK_SHEET: 'worksheet',
  EXAM: 'assessment',
  TEST_ITEM: 'assessment item',
  MEDIA: 'media',
  CASE: 'case study',
  LITERATURE: 'reading',
  FAQ: 'FAQ',
  DIRECTORY: 'index',
  ONLINE_COURSE: 'course',
  OTHER: 'learning resource',
}

type Labels = { resourceType: string; pageUrl: string; imageUrl?: string | null }

export function learningResourceJsonLd(view: ResourceView, labels: Labels) {
  const r = view.resource
  const alignments = r.positions.flatMap((p) => {
    const byLevel = Object.fromEntries(p.trail.map((n) => [n.level, n]))
    const framework = [byLevel.EDITION?.name, byLevel.SUBJECT?.name, byLevel.VOLUME?.name].filter(Boolean).join(' ')
    const target = p.trail.at(-1)!
    const out = [
      {
        '@type': 'AlignmentObject',
        alignmentType: 'educationalSubject',
        targetName: byLevel.SUBJECT?.name ?? '',
        educationalFramework: framework,
      },
      {
        '@type': 'AlignmentObject',
        alignmentType: 'teaches',
        targetName: target.name,
        educationalFramework: framework,
      },
    ]
    if (byLevel.VOLUME)
      out.push({
        '@type': 'AlignmentObject',
        alignmentType: 'educationalLevel',
        targetName: byLevel.VOLUME.name,
        educationalFramework: framework,
      })
    return out
  })
  return {
    '@context': 'https://schema.org',
    '@type': 'LearningResource',
    '@id': labels.pageUrl,
    url: labels.pageUrl,
    name: r.title,
    description: r.description || undefined,
    inLanguage: r.language === 'other' ? undefined : r.language,
    keywords: r.keywords.length ? r.keywords.join(', ') : undefined,
    learningResourceType: LRMI_TYPES[r.resourceType] ?? 'learning resource',
    educationalUse: labels.resourceType,
    audience: r.intendedUsers.map((u) => ({ '@type': 'EducationalAudience', educationalRole: u.toLowerCase() })),
    teaches: r.knowledgePoints.map((k) => k.name),
    educationalAlignment: alignments,
    author: r.author ? { '@type': 'Person', name: r.author } : undefined,
    provider: { '@type': 'Organization', name: r.provider || r.platform.name },
    publisher: { '@type': 'Organization', name: r.platform.name },
    license: CC_URLS[r.licence],
    isAccessibleForFree: r.licence !== 'PREMIUM',
    // A premium resource's price, as search engines and other platforms' harvesters read it.
    offers:
      r.licence === 'PREMIUM' && r.priceCents
        ? { '@type': 'Offer', price: (r.priceCents / 100).toFixed(2), priceCurrency: 'CNY' }
        : undefined,
    version: r.version,
    dateCreated: r.createdAt,
    datePublished: r.publishedAt ?? undefined,
    aggregateRating: r.ratingCount
      ? {
          '@type': 'AggregateRating',
          ratingValue: Math.round(r.ratingAvg * 10) / 10,
          ratingCount: r.ratingCount,
          bestRating: 5,
          worstRating: 1,
        }
      : undefined,
    image: labels.imageUrl ?? undefined,
  }
}

/** JSON for a <script type="application/ld+json">: "<" escaped so no text can close the tag. */
export function jsonLdScript(data: unknown) {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}
