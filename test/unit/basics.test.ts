import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { parseEnv } from '~/lib/env.server.ts'
import { zhCN } from '~/lib/i18n/zh-CN.ts'
import { en } from '~/lib/i18n/en.ts'
import { translator } from '~/lib/i18n/index.ts'
import { csrfTokenFor, verifyCsrf } from '~/lib/csrf.server.ts'
import { safeRedirectPath } from '~/lib/session.server.ts'
import { parseIdentifier } from '~/services/auth/identifier.server.ts'
import { checkPasswordPolicy, hashPassword, verifyPassword } from '~/services/auth/password.server.ts'
import { splitSubjects } from '~/services/auth/register-user.server.ts'
import { isValidKey } from '../../storage/keys.ts'
import { checkCsrf } from './csrf-lint.ts'

describe('i18n', () => {
  it('English has exactly the Chinese keys, none empty, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort())
    for (const [k, v] of Object.entries(zhCN)) {
      const e = en[k as keyof typeof en]
      expect(v.trim(), k).not.toBe('')
      expect(e.trim(), k).not.toBe('')
      expect((e.match(/\{\w+\}/g) ?? []).sort(), k).toEqual((v.match(/\{\w+\}/g) ?? []).sort())
    }
  })
  it('interpolates parameters', () => {
    expect(translator('zh-CN')('auth.tooManyAttempts', { minutes: 15 })).toBe('尝试次数过多，请 15 分钟后再试。')
    expect(translator('en')('home.welcome', { name: 'Liling' })).toBe('Welcome to Liling')
  })
  it('no Chinese text is hard-coded in components or routes', () => {
    const dirs = ['app/routes', 'app/components', 'app/server', 'app/root.tsx']
    const files = dirs.flatMap((d) =>
      fs.statSync(d).isDirectory()
        ? (fs.readdirSync(d, { recursive: true }) as string[])
            .map((f) => path.join(d, f))
            .filter((f) => fs.statSync(f).isFile())
        : [d],
    )
    expect(files.filter((f) => !/\.tsx?$/.test(f))).toEqual([]) // every file below is parsed as code
    expect(files.length).toBeGreaterThan(30)
    // Strings, template parts and JSX text from the syntax tree (comments are not in it). Only a
    // route's `meta` export may carry Chinese: fallback <title> text (the product's name).
    for (const f of files) expect(hardCodedChinese(f, fs.readFileSync(f, 'utf8')), f).toEqual([])
    // …and the check sees what it is looking for.
    expect(
      hardCodedChinese(
        'x.tsx',
        `// 注释\nexport const meta = () => [{ title: '教育资源云' }]\nconst tabs = [{ title: '审核' }]\nconst u = 'https://x.cn/' + \`帮助\${1}\`\nexport default () => <p title="说明">你好</p>\nfunction f() {\n  const meta = '标题'\n}`,
      ),
    ).toEqual(['3: 审核', '4: 帮助', '5: 说明', '5: 你好', '7: 标题'])
  })
})

describe('environment', () => {
  it('names every bad variable', () => {
    expect(() => parseEnv({ NODE_ENV: 'test', PORT: 'abc', DATABASE_URL: 'mysql://x' })).toThrow(
      /PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/,
    )
  })
  it('requires a real secret and URLs in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/)
    expect(() =>
      parseEnv({
        NODE_ENV: 'production',
        SESSION_SECRET: 'dev-only-secret-change-me-0123456789abcdef',
        DATABASE_URL: 'postgresql://x/y',
        REDIS_URL: 'redis://x',
        MEILI_URL: 'http://m',
        MEILI_MASTER_KEY: '0123456789abcdef0',
      }),
    ).toThrow(/real SESSION_SECRET/)
  })
  it('requires S3 keys when the S3 driver is chosen', () => {
    expect(() => parseEnv({ NODE_ENV: 'test', STORAGE_DRIVER: 's3' })).toThrow(/S3_ACCESS_KEY/)
  })
})

describe('CSRF tokens', () => {
  it('fit only the cookie they were made for', () => {
    const t = csrfTokenFor('cookie-value-aaaaaaaaaaaaaaaa')
    expect(verifyCsrf('cookie-value-aaaaaaaaaaaaaaaa', t)).toBe(true)
    expect(verifyCsrf('cookie-value-bbbbbbbbbbbbbbbb', t)).toBe(false)
    expect(verifyCsrf(undefined, t)).toBe(false)
    expect(verifyCsrf('cookie-value-aaaaaaaaaaaaaaaa', '')).toBe(false)
  })
})

describe('sign-in identifiers and passwords', () => {
  it('accepts mainland mobiles and e-mail, normalised', () => {
    expect(parseIdentifier(' 138-0000-0033 ')).toEqual({ kind: 'phone', value: '13800000033' })
    expect(parseIdentifier('+8613800000033')).toEqual({ kind: 'phone', value: '13800000033' })
    expect(parseIdentifier('ChenXM@Liling.Demo')).toEqual({ kind: 'email', value: 'chenxm@liling.demo' })
    for (const bad of ['', '12345', '23800000033', 'a@b', 'x'.repeat(300) + '@a.cn'])
      expect(parseIdentifier(bad)).toBeNull()
  })
  it('hashes with a salt and verifies; rejects weak passwords', async () => {
    const h1 = await hashPassword('Shaoshan1893')
    const h2 = await hashPassword('Shaoshan1893')
    expect(h1).not.toBe(h2)
    expect(await verifyPassword('Shaoshan1893', h1)).toBe(true)
    expect(await verifyPassword('Shaoshan1894', h1)).toBe(false)
    expect(await verifyPassword('x', 'garbage')).toBe(false)
    expect(() => checkPasswordPolicy('short1')).toThrow()
    expect(() => checkPasswordPolicy('onlyletters')).toThrow()
    expect(() => checkPasswordPolicy('1234567890')).toThrow()
    expect(() => checkPasswordPolicy('数学老师2026')).not.toThrow()
  })
  it('splits subjects written the Chinese way', () => {
    expect(splitSubjects('数学、物理，化学, 生物')).toEqual(['数学', '物理', '化学', '生物'])
  })
})

describe('roles', () => {
  it('the shared role list equals the database enum', async () => {
    const { Role } = await import('~/generated/prisma/enums.ts')
    const { ROLES } = await import('~/lib/roles.ts')
    expect([...ROLES].sort()).toEqual(Object.values(Role).sort())
  })
})

describe('redirects and object keys', () => {
  it('only same-site paths are redirect targets', () => {
    expect(safeRedirectPath('/p/liling/me', '/')).toBe('/p/liling/me')
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', null, 'javascript:alert(1)'])
      expect(safeRedirectPath(bad, '/')).toBe('/')
  })
  it('object keys cannot climb out of their prefix', () => {
    expect(isValidKey('originals/a1b2c3d4/e5f6g7h8/i9j0k1l2')).toBe(true)
    for (const bad of ['../x', 'originals/../../etc', 'tmp/x', 'originals/a b']) expect(isValidKey(bad)).toBe(false)
  })
})

// Actions that may change state without a form read through readForm. Each entry says why;
// an entry whose module passes the check anyway, or has no action, fails the test (stale).
const ACTIONS_WITHOUT_READFORM: Record<string, string> = {}

/** Chinese text in a module's string literals, template parts and JSX text, outside a `meta` export. */
function hardCodedChinese(fileName: string, source: string) {
  const sf = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
    fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  )
  const hits: string[] = []
  const exported = (n: ts.VariableStatement | ts.FunctionDeclaration) =>
    n.parent === sf && (n.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  const visit = (n: ts.Node, inMeta: boolean) => {
    const meta =
      inMeta ||
      (ts.isVariableStatement(n) &&
        exported(n) &&
        n.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === 'meta')) ||
      (ts.isFunctionDeclaration(n) && exported(n) && n.name?.text === 'meta')
    const text =
      ts.isStringLiteral(n) ||
      ts.isNoSubstitutionTemplateLiteral(n) ||
      ts.isTemplateHead(n) ||
      ts.isTemplateMiddle(n) ||
      ts.isTemplateTail(n) ||
      ts.isJsxText(n)
        ? n.text
        : ''
    if (!meta && /[\u4e00-\u9fff]/.test(text))
      hits.push(`${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}: ${text.trim()}`)
    n.forEachChild((c) => visit(c, meta))
  }
  visit(sf, false)
  return hits
}

const routeModules = (dir = 'app/routes') =>
  (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join(dir, f))
    .sort()

describe('routes', () => {
  it('every route with an action checks the CSRF token through readForm', () => {
    const checked = routeModules().map((f) => ({ f, ...checkCsrf(f, fs.readFileSync(f, 'utf8')) }))
    const withAction = checked.filter((c) => c.hasAction)
    expect(withAction.length).toBeGreaterThan(5)
    // A module mentioning "action" by name but found without one would escape the check.
    for (const c of checked.filter((x) => !x.hasAction))
      expect(fs.readFileSync(c.f, 'utf8'), c.f).not.toMatch(/\bexport\b[^\n]*\baction\b/)
    const failing = Object.fromEntries(
      withAction.filter((c) => c.problems.length && !(c.f in ACTIONS_WITHOUT_READFORM)).map((c) => [c.f, c.problems]),
    )
    expect(failing).toEqual({})
    for (const f of Object.keys(ACTIONS_WITHOUT_READFORM)) {
      const c = checked.find((x) => x.f === f)
      expect(c?.hasAction, `${f} is allow-listed but has no action`).toBe(true)
      expect(c?.problems.length, `${f} is allow-listed but passes: take it off the list`).toBeGreaterThan(0)
    }
  })
})

describe('the CSRF check itself', () => {
  const head = `import type { ActionFunctionArgs } from '@remix-run/node'\nimport { readForm } from '~/lib/csrf.server.ts'\n`
  const check = (body: string, withImport = true) => checkCsrf('x.tsx', (withImport ? head : '') + body)

  it('passes an action that awaits readForm(request, context), however it is written', () => {
    for (const body of [
      `export async function action({ request, context }: ActionFunctionArgs) {\n  const form = await readForm(request, context)\n  return form.get('x')\n}`,
      `export async function action({ request, context }: ActionFunctionArgs) {\n  return runAction(async () => {\n    const form = await readForm(request, context).catch(throwAsResponse)\n    return form\n  })\n}`,
      `export const action = async (args: ActionFunctionArgs) => {\n  await readForm(args.request, args.context)\n}`,
      `async function save({ request: r, context: c }: ActionFunctionArgs) {\n  return readForm(r, c)\n}\nexport { save as action }`,
    ])
      expect(check(body), body).toEqual({ hasAction: true, problems: [] })
    expect(check(`export async function loader() {\n  return null\n}`)).toEqual({ hasAction: false, problems: [] })
  })

  it('is not fooled by the name in a comment or a string, by a look-alike, or by another body read', () => {
    const cases: [string, RegExp, boolean?][] = [
      [
        `// readForm(request, context)\nexport async function action({ request }: ActionFunctionArgs) {\n  return request.formData()\n}`,
        /never reads its body through readForm/,
      ],
      [
        `export async function action({ request, context }: ActionFunctionArgs) {\n  const hint = 'readForm(request, context)'\n  return (await request.formData()).get(hint)\n}`,
        /read directly \(request\.formData\)/,
      ],
      [`export const action = async ({ request }: ActionFunctionArgs) => request.json()`, /never reads its body/],
      [
        `const readForm = async (r: Request) => r.formData()\nexport async function action({ request, context }: ActionFunctionArgs) {\n  await readForm(request, context)\n}`,
        /not imported/,
        false,
      ],
      [
        `export async function action({ request, context }: ActionFunctionArgs) {\n  const readForm = (r: Request) => r.formData()\n  await readForm(request, context)\n}`,
        /shadowed/,
      ],
      [
        `export async function action({ request, context }: ActionFunctionArgs) {\n  void readForm(request, context)\n  return null\n}`,
        /not awaited/,
      ],
      [
        `export async function action({ context }: ActionFunctionArgs) {\n  await readForm(new Request('http://x', { method: 'POST' }), context)\n}`,
        /own request and context/,
      ],
      [
        `export async function action({ request, context }: ActionFunctionArgs) {\n  await readForm(request, context)\n  return parse(request)\n}\nasync function parse(req: Request) {\n  return req.text()\n}`,
        /read directly \(req\.text\)/,
      ],
      [`export { action } from './elsewhere.ts'`, /re-exported/],
    ]
    for (const [body, problem, withImport] of cases) {
      const r = check(body, withImport ?? true)
      expect(r.hasAction, body).toBe(true)
      expect(r.problems.join('\n'), body).toMatch(problem)
    }
  })
})
