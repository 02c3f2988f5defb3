/**
 * The environment, checked once at boot. Anything wrong stops the process with a message
 * naming the variable. Only values listed in `publicEnv()` may ever reach the browser.
 */
import { z } from 'zod'

/** Development and test get working defaults; production must set the value explicitly. */
const devDefault = <T extends z.ZodType<string>>(schema: T, dev: string) => (process.env.NODE_ENV === 'production' ? schema : schema.default(dev as never)) as unknown as T

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    APP_URL: z.url().default('http://localhost:3000'),
    SESSION_SECRET: devDefault(z.string().min(32, 'SESSION_SECRET must be at least 32 characters'), 'dev-only-secret-change-me-0123456789abcdef'),
    DATABASE_URL: devDefault(z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgresql:// URL'), 'postgresql://postgres@127.0.0.1:5432/erc'),
    REDIS_URL: devDefault(z.string().regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URL'), 'redis://127.0.0.1:6379'),
    /** Prefix for every Redis key we write (queues, rate limits), so test workers never collide. */
    REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/).default('erc'),
    MEILI_URL: devDefault(z.url(), 'http://127.0.0.1:7700'),
    MEILI_MASTER_KEY: devDefault(z.string().min(16, 'MEILI_MASTER_KEY must be at least 16 characters'), 'dev-only-meili-master-key-0123456789'),
    MEILI_INDEX_PREFIX: z.string().regex(/^[a-z0-9_-]+$/).default('erc'),
    STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
    STORAGE_LOCAL_ROOT: z.string().default('.data/storage'),
    S3_ENDPOINT: z.string().default('http://127.0.0.1:9000'),
    S3_REGION: z.string().default('us-east-1'),
    S3_BUCKET: z.string().default('erc'),
    S3_ACCESS_KEY: z.string().default(''),
    S3_SECRET_KEY: z.string().default(''),
    MESSAGE_TRANSPORT: z.enum(['log', 'memory']).default('log'),
    DEFAULT_PLATFORM_SLUG: z.string().default('hunan'),
    SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
    SIGNIN_WINDOW_SECONDS: z.coerce.number().int().min(10).default(900),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_DRIVER === 's3' && (!env.S3_ACCESS_KEY || !env.S3_SECRET_KEY))
      ctx.addIssue({ code: 'custom', path: ['S3_ACCESS_KEY'], message: 'S3_ACCESS_KEY and S3_SECRET_KEY are required when STORAGE_DRIVER=s3' })
    if (env.NODE_ENV === 'production' && env.SESSION_SECRET.startsWith('dev-only'))
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'set a real SESSION_SECRET in production' })
  })

export type Env = z.infer<typeof schema>

let cached: Env | undefined

/** Parses process.env; throws one error listing every problem. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = schema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(env)'}: ${i.message}`)
    throw new Error(`Invalid environment:\n${lines.join('\n')}`)
  }
  return result.data
}

export function env(): Env {
  cached ??= parseEnv()
  return cached
}

/** The only configuration the browser may see. */
export function publicEnv() {
  return { APP_URL: env().APP_URL }
}
