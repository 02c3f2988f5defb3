/**
 * Writes the curriculum tree, knowledge points and resource types. Idempotent: nodes are keyed by
 * stable ids, so re-running after a data fix updates names and adds what is new.
 */
import type { PrismaClient } from '../../app/generated/prisma/client.ts'
import { CELTS_TYPES, EVERYDAY_TYPES, RESOURCE_TYPES } from '../../app/lib/curriculum.ts'
import { BOOKS, STAGE_SUBJECTS, STAGES, SUBJECT_NAMES } from './textbooks.ts'

type Level = 'STAGE' | 'SUBJECT' | 'EDITION' | 'VOLUME' | 'CHAPTER' | 'SECTION'
export type NodeRow = {
  id: string
  parentId: string | null
  level: Level
  name: string
  path: string
  position: number
  stage: string
  subject: string | null
  edition: string | null
  grade: string | null
}

/** Parses one volume's chapter lines. */
export function parseChapters(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [main, kp = ''] = line.split('#')
      const i = main!.indexOf(':')
      if (i < 0) throw new Error(`chapter line without ":": ${line}`)
      return {
        name: main!.slice(0, i).trim(),
        sections: main!
          .slice(i + 1)
          .split('|')
          .map((s) => s.trim())
          .filter(Boolean),
        knowledgePoints: kp
          .split(/[,，]/)
          .map((s) => s.trim())
          .filter(Boolean),
      }
    })
}

/** Every node of the tree, parents before children. */
export function taxonomyNodes() {
  const nodes: NodeRow[] = []
  const kps: { nodeId: string; subject: string; name: string }[] = []
  STAGES.forEach((st, si) => {
    nodes.push({
      id: st.code,
      parentId: null,
      level: 'STAGE',
      name: st.name,
      path: st.code,
      position: si,
      stage: st.code,
      subject: null,
      edition: null,
      grade: null,
    })
    STAGE_SUBJECTS[st.code]!.forEach((sub, i) => {
      const id = `${st.code}.${sub}`
      nodes.push({
        id,
        parentId: st.code,
        level: 'SUBJECT',
        name: `${st.name}${SUBJECT_NAMES[sub]}`,
        path: `${st.code}/${id}`,
        position: i,
        stage: st.code,
        subject: sub,
        edition: null,
        grade: null,
      })
    })
  })
  for (const book of BOOKS) {
    const subjectId = `${book.stage}.${book.subject}`
    const subjectPath = `${book.stage}/${subjectId}`
    const editionId = `${subjectId}.${book.edition}`
    const editionPath = `${subjectPath}/${editionId}`
    const base = { stage: book.stage, subject: book.subject, edition: book.edition }
    nodes.push({
      id: editionId,
      parentId: subjectId,
      level: 'EDITION',
      name: book.editionName,
      path: editionPath,
      position: 0,
      ...base,
      grade: null,
    })
    book.volumes.forEach((v, vi) => {
      const volumeId = `${editionId}.${v.code}`
      const volumePath = `${editionPath}/${volumeId}`
      nodes.push({
        id: volumeId,
        parentId: editionId,
        level: 'VOLUME',
        name: v.name,
        path: volumePath,
        position: vi,
        ...base,
        grade: v.grade,
      })
      parseChapters(v.chapters).forEach((c, ci) => {
        const chapterId = `${volumeId}.c${ci + 1}`
        const chapterPath = `${volumePath}/${chapterId}`
        nodes.push({
          id: chapterId,
          parentId: volumeId,
          level: 'CHAPTER',
          name: c.name,
          path: chapterPath,
          position: ci,
          ...base,
          grade: v.grade,
        })
        c.sections.forEach((s, i) => {
          const id = `${chapterId}.s${i + 1}`
          nodes.push({
            id,
            parentId: chapterId,
            level: 'SECTION',
            name: s,
            path: `${chapterPath}/${id}`,
            position: i,
            ...base,
            grade: v.grade,
          })
        })
        for (const name of c.knowledgePoints) kps.push({ nodeId: chapterId, subject: book.subject, name })
      })
    })
  }
  return { nodes, kps }
}

export async function seedTaxonomy(db: PrismaClient) {
  const { nodes, kps } = taxonomyNodes()
  // One insert for the whole tree (foreign keys are checked at the end of the statement), then
  // update only nodes whose data changed since the last run.
  await db.curriculumNode.createMany({ data: nodes, skipDuplicates: true })
  const existing = new Map(
    (await db.curriculumNode.findMany({ select: { id: true, name: true, position: true, grade: true } })).map((n) => [
      n.id,
      n,
    ]),
  )
  for (const n of nodes) {
    const e = existing.get(n.id)
    if (e && (e.name !== n.name || e.position !== n.position || e.grade !== n.grade))
      await db.curriculumNode.update({
        where: { id: n.id },
        data: { name: n.name, position: n.position, grade: n.grade },
      })
  }
  const unique = [...new Map(kps.map((k) => [`${k.subject}:${k.name}`, { subject: k.subject, name: k.name }])).values()]
  await db.knowledgePoint.createMany({ data: unique, skipDuplicates: true })
  const kpIds = new Map(
    (await db.knowledgePoint.findMany({ select: { id: true, subject: true, name: true } })).map((k) => [
      `${k.subject}:${k.name}`,
      k.id,
    ]),
  )
  await db.curriculumKnowledgePoint.createMany({
    data: kps.map((k) => ({ nodeId: k.nodeId, knowledgePointId: kpIds.get(`${k.subject}:${k.name}`)! })),
    skipDuplicates: true,
  })
  const celtsOf = (code: string) =>
    (CELTS_TYPES as readonly string[]).includes(code)
      ? code
      : ((EVERYDAY_TYPES as Record<string, string>)[code] ?? 'MEDIA')
  await db.resourceTypeDef.createMany({
    data: RESOURCE_TYPES.map((code, position) => ({
      code,
      celts: celtsOf(code),
      everyday: !(CELTS_TYPES as readonly string[]).includes(code),
      position,
    })),
    skipDuplicates: true,
  })
  return { nodes: nodes.length, knowledgePoints: unique.length }
}
