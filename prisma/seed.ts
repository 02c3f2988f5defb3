/**
 * Demo data that looks like the real thing: Hunan province, its cities, counties and schools,
 * virtual and connected platforms, and a user for every role. Idempotent: upserts by slug and
 * by phone, so running it twice changes nothing. `npm run db:seed`.
 */
import type { PrismaClient } from '../app/generated/prisma/client.ts'
import { PlatformLevel as L, PlatformMode as M, Role as R } from '../app/generated/prisma/enums.ts'
import { hashPassword } from '../app/services/auth/password.server.ts'
import { seedTaxonomy } from './taxonomy/seed-taxonomy.ts'

export const DEMO_PASSWORD = 'Hunan2026'

type P = {
  slug: string
  name: string
  shortName?: string
  level: L
  mode: M
  parent?: string
  regionCode?: string
  domain?: string
  externalUrl?: string
  primaryColor?: string
  accentColor?: string
  bannerText?: string
}

/** What each demo portal's footer shows (主办单位, contact, ICP备案号): plausible, made-up values. */
const DEMO_FOOTERS: Record<string, { hostUnit: string; contact: string; icpNumber: string }> = {
  hunan: {
    hostUnit: '湖南省电化教育馆',
    contact: '0731-84720601 · 长沙市开福区三一大道 456 号',
    icpNumber: '湘ICP备05004526号-3',
  },
  changsha: { hostUnit: '长沙市电化教育馆', contact: '0731-88665120', icpNumber: '湘ICP备10201873号-2' },
  zhuzhou: { hostUnit: '株洲市电化教育馆', contact: '0731-28283306', icpNumber: '湘ICP备12007741号-1' },
  xiangtan: { hostUnit: '湘潭市电化教育馆', contact: '0731-58223417', icpNumber: '湘ICP备13003152号-1' },
  hengyang: { hostUnit: '衡阳市电化教育馆', contact: '0734-8868215', icpNumber: '湘ICP备14010268号-1' },
  yueyang: { hostUnit: '岳阳市电化教育馆', contact: '0730-8881537', icpNumber: '湘ICP备15008817号-1' },
  changshaxian: { hostUnit: '长沙县教育局', contact: '0731-84018826', icpNumber: '湘ICP备16012093号-1' },
  wangcheng: { hostUnit: '长沙市望城区教育局', contact: '0731-88084250', icpNumber: '湘ICP备17004412号-1' },
  liuyang: { hostUnit: '浏阳市教育局', contact: '0731-83612078', icpNumber: '湘ICP备11009330号-1' },
  liling: {
    hostUnit: '醴陵市教育局',
    contact: '0731-23211365 · 醴陵市瓷城大道 18 号',
    icpNumber: '湘ICP备2021012851号-1',
  },
  youxian: { hostUnit: '攸县教育局', contact: '0731-24212890', icpNumber: '湘ICP备18006634号-1' },
  xiangtanxian: { hostUnit: '湘潭县教育局', contact: '0731-57822316', icpNumber: '湘ICP备19002781号-1' },
  shaoshan: { hostUnit: '韶山市教育局', contact: '0731-55685230', icpNumber: '湘ICP备2020004127号-1' },
  'cs-yizhong': { hostUnit: '长沙市第一中学', contact: '0731-84445071', icpNumber: '湘ICP备09011205号-1' },
  'll-yizhong': { hostUnit: '醴陵市第一中学', contact: '0731-23223070', icpNumber: '湘ICP备2022015563号-1' },
  'xtx-yizhong': { hostUnit: '湘潭县第一中学', contact: '0731-57821152', icpNumber: '湘ICP备2023008846号-1' },
}

export const DEMO_PLATFORMS: P[] = [
  {
    slug: 'hunan',
    name: '湖南省教育资源云',
    shortName: '湖南',
    level: L.PROVINCE,
    mode: M.HOSTED,
    regionCode: '430000',
    primaryColor: '#b91c1c',
    accentColor: '#facc15',
    bannerText: '湖南省基础教育资源公共服务平台 · 全省一体系、资源体系通',
  },
  {
    slug: 'changsha',
    name: '长沙市教育资源平台',
    shortName: '长沙',
    level: L.CITY,
    mode: M.VIRTUAL,
    parent: 'hunan',
    regionCode: '430100',
    primaryColor: '#1d4ed8',
  },
  {
    slug: 'zhuzhou',
    name: '株洲市教育资源平台',
    shortName: '株洲',
    level: L.CITY,
    mode: M.VIRTUAL,
    parent: 'hunan',
    regionCode: '430200',
    primaryColor: '#0f766e',
  },
  {
    slug: 'xiangtan',
    name: '湘潭市教育资源平台',
    shortName: '湘潭',
    level: L.CITY,
    mode: M.VIRTUAL,
    parent: 'hunan',
    regionCode: '430300',
    primaryColor: '#7c3aed',
  },
  {
    slug: 'hengyang',
    name: '衡阳市教育资源平台',
    shortName: '衡阳',
    level: L.CITY,
    mode: M.VIRTUAL,
    parent: 'hunan',
    regionCode: '430400',
  },
  {
    slug: 'yueyang',
    name: '岳阳市教育资源平台',
    shortName: '岳阳',
    level: L.CITY,
    mode: M.VIRTUAL,
    parent: 'hunan',
    regionCode: '430600',
  },
  {
    slug: 'changshaxian',
    name: '长沙县教育资源平台',
    shortName: '长沙县',
    level: L.COUNTY,
    mode: M.VIRTUAL,
    parent: 'changsha',
    regionCode: '430121',
  },
  {
    slug: 'wangcheng',
    name: '望城区教育资源平台',
    shortName: '望城',
    level: L.COUNTY,
    mode: M.VIRTUAL,
    parent: 'changsha',
    regionCode: '430112',
  },
  {
    slug: 'liuyang',
    name: '浏阳市教育资源公共服务平台',
    shortName: '浏阳',
    level: L.COUNTY,
    mode: M.CONNECTED,
    parent: 'changsha',
    regionCode: '430181',
    externalUrl: 'https://res.liuyang.example.cn',
    primaryColor: '#9a3412',
  },
  {
    slug: 'liling',
    name: '醴陵市教育资源平台',
    shortName: '醴陵',
    level: L.COUNTY,
    mode: M.VIRTUAL,
    parent: 'zhuzhou',
    regionCode: '430281',
    domain: 'liling.localhost',
    primaryColor: '#047857',
    accentColor: '#fbbf24',
    bannerText: '醴陵市 · 瓷城教育资源共建共享',
  },
  {
    slug: 'youxian',
    name: '攸县教育资源平台',
    shortName: '攸县',
    level: L.COUNTY,
    mode: M.VIRTUAL,
    parent: 'zhuzhou',
    regionCode: '430223',
  },
  {
    slug: 'xiangtanxian',
    name: '湘潭县教育资源平台',
    shortName: '湘潭县',
    level: L.COUNTY,
    mode: M.VIRTUAL,
    parent: 'xiangtan',
    regionCode: '430321',
  },
  {
    slug: 'shaoshan',
    name: '韶山市教育资源平台',
    shortName: '韶山',
    level: L.COUNTY,
    mode: M.VIRTUAL,
    parent: 'xiangtan',
    regionCode: '430382',
    primaryColor: '#c2410c',
  },
  { slug: 'cs-yizhong', name: '长沙市第一中学', level: L.SCHOOL, mode: M.HOSTED, parent: 'changsha' },
  { slug: 'll-yizhong', name: '醴陵市第一中学', level: L.SCHOOL, mode: M.HOSTED, parent: 'liling' },
  { slug: 'xtx-yizhong', name: '湘潭县第一中学', level: L.SCHOOL, mode: M.HOSTED, parent: 'xiangtanxian' },
]

type U = {
  phone: string
  email?: string
  name: string
  home: string
  roles: [R, string][]
  school?: string
  subjects?: string[]
  note: string
}

export const DEMO_USERS: U[] = [
  {
    phone: '13800000001',
    email: 'admin@hunan.demo',
    name: '王建国',
    home: 'hunan',
    roles: [[R.PROVINCE_ADMIN, 'hunan']],
    note: '省级管理员',
  },
  {
    phone: '13800000002',
    name: '李芳',
    home: 'hunan',
    roles: [[R.REVIEWER, 'hunan']],
    subjects: ['数学'],
    note: '省级审核员',
  },
  { phone: '13800000003', name: '赵磊', home: 'hunan', roles: [[R.TRADING_OPERATOR, 'hunan']], note: '交易运营者' },
  { phone: '13800000004', name: '钱敏', home: 'hunan', roles: [[R.REGULATOR, 'hunan']], note: '交易监管者' },
  {
    phone: '13800000005',
    email: 'provider@hnep.demo',
    name: '韩雪',
    home: 'hunan',
    roles: [[R.PROVIDER, 'hunan']],
    school: '湖南教育出版社',
    note: '资源提供者',
  },
  {
    phone: '13800000011',
    name: '孙伟',
    home: 'changsha',
    roles: [[R.PLATFORM_ADMIN, 'changsha']],
    note: '长沙市平台管理员',
  },
  {
    phone: '13800000012',
    name: '周静',
    home: 'changsha',
    roles: [[R.REVIEWER, 'changsha']],
    subjects: ['物理'],
    note: '长沙市审核员',
  },
  {
    phone: '13800000013',
    name: '沈洁',
    home: 'cs-yizhong',
    roles: [[R.SCHOOL_PURCHASER, 'cs-yizhong']],
    school: '长沙市第一中学',
    note: '学校采购',
  },
  {
    phone: '13800000015',
    name: '刘洋',
    home: 'cs-yizhong',
    roles: [[R.TEACHER, 'cs-yizhong']],
    school: '长沙市第一中学',
    subjects: ['物理'],
    note: '长沙市第一中学教师',
  },
  {
    phone: '13800000016',
    name: '何静',
    home: 'cs-yizhong',
    roles: [[R.TEACHER, 'cs-yizhong']],
    school: '长沙市第一中学',
    subjects: ['数学'],
    note: '长沙市第一中学教师',
  },
  {
    phone: '13800000014',
    name: '卫红',
    home: 'changshaxian',
    roles: [[R.TEACHER, 'changshaxian']],
    school: '长沙县第一中学',
    subjects: ['物理'],
    note: '长沙县教师',
  },
  {
    phone: '13800000021',
    name: '吴强',
    home: 'zhuzhou',
    roles: [[R.REVIEWER, 'zhuzhou']],
    subjects: ['数学', '物理'],
    note: '株洲市审核员',
  },
  {
    phone: '13800000031',
    email: 'admin@liling.demo',
    name: '郑丽',
    home: 'liling',
    roles: [[R.PLATFORM_ADMIN, 'liling']],
    note: '醴陵市平台管理员',
  },
  {
    phone: '13800000032',
    name: '冯涛',
    home: 'liling',
    roles: [[R.REVIEWER, 'liling']],
    subjects: ['数学'],
    note: '醴陵市审核员',
  },
  {
    phone: '13800000033',
    email: 'chenxm@liling.demo',
    name: '陈晓梅',
    home: 'liling',
    roles: [[R.TEACHER, 'liling']],
    school: '醴陵市第一中学',
    subjects: ['数学'],
    note: '醴陵市教师（初中数学）',
  },
  {
    phone: '13800000034',
    name: '褚明',
    home: 'liling',
    roles: [[R.TEACHER, 'liling']],
    school: '醴陵市第一中学',
    subjects: ['语文'],
    note: '醴陵市教师（初中语文）',
  },
  {
    phone: '13800000035',
    name: '杨帆',
    home: 'liling',
    roles: [[R.STUDENT, 'liling']],
    school: '醴陵市第一中学',
    note: '学生',
  },
  { phone: '13800000036', name: '朱丽', home: 'liling', roles: [[R.PARENT, 'liling']], note: '家长' },
  {
    phone: '13800000041',
    name: '蒋涛',
    home: 'xiangtanxian',
    roles: [[R.TEACHER, 'xiangtanxian']],
    school: '湘潭县第一中学',
    subjects: ['英语'],
    note: '湘潭县教师',
  },
]

export async function seed(prisma: PrismaClient) {
  await seedTaxonomy(prisma)
  const ids = new Map<string, { id: string; path: string }>()
  for (const p of DEMO_PLATFORMS) {
    const parent = p.parent ? ids.get(p.parent) : undefined
    if (p.parent && !parent) throw new Error(`seed: parent ${p.parent} must come before ${p.slug}`)
    const { parent: _parent, ...own } = p
    const fields = { ...own, ...DEMO_FOOTERS[p.slug] }
    const row = await prisma.platform.upsert({
      where: { slug: p.slug },
      create: { ...fields, parentId: parent?.id ?? null, path: 'pending' },
      update: { ...fields, parentId: parent?.id ?? null },
      select: { id: true },
    })
    const path = parent ? `${parent.path}/${row.id}` : row.id
    await prisma.platform.update({ where: { id: row.id }, data: { path } })
    ids.set(p.slug, { id: row.id, path })
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  for (const u of DEMO_USERS) {
    const home = ids.get(u.home)!
    const user = await prisma.user.upsert({
      where: { phone: u.phone },
      create: {
        phone: u.phone,
        email: u.email ?? null,
        displayName: u.name,
        passwordHash,
        homePlatformId: home.id,
        schoolName: u.school ?? null,
        subjects: u.subjects ?? [],
      },
      update: {
        displayName: u.name,
        homePlatformId: home.id,
        schoolName: u.school ?? null,
        subjects: u.subjects ?? [],
      },
      select: { id: true },
    })
    for (const [role, slug] of u.roles) {
      const platformId = ids.get(slug)!.id
      await prisma.roleAssignment.upsert({
        where: { userId_platformId_role: { userId: user.id, platformId, role } },
        create: { userId: user.id, platformId, role },
        update: {},
      })
    }
  }
  return { platforms: ids.size, users: DEMO_USERS.length }
}

export function demoCredentialsTable() {
  const rows = DEMO_USERS.map((u) => `  ${u.phone}  ${u.name.padEnd(4, '　')}  ${u.note}  → /p/${u.home}`)
  return [`演示账号（密码均为 ${DEMO_PASSWORD}）:`, ...rows].join('\n')
}
