import fs from 'node:fs'
import path from 'node:path'
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
    for (const f of files) {
      const code = fs.readFileSync(f, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')
      // Only fallback <title> text in meta functions may carry Chinese (the product's name).
      const hits = code.split('\n').filter((l) => /[\u4e00-\u9fff]/.test(l) && !/title: /.test(l))
      expect(hits, f).toEqual([])
    }
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

describe('routes', () => {
  it('every route with an action checks the CSRF token through readForm', () => {
    const dir = 'app/routes'
    const withAction = fs
      .readdirSync(dir)
      .filter((f) => /export async function action/.test(fs.readFileSync(path.join(dir, f), 'utf8')))
    expect(withAction.length).toBeGreaterThan(5)
    for (const f of withAction)
      expect(fs.readFileSync(path.join(dir, f), 'utf8'), f).toMatch(/readForm\(request, context\)/)
  })
})
