/**
 * The environment, checked once at boot. Anything wrong stops the process with a message
 * naming the variable. Only values listed in `publicEnv()` may ever reach the browser.
 */
import { z } from 'zod'

/** Development and test get working defaults; production must set the value explicitly. */
const devDefault = <T extends z.ZodType<string>>(schema: T, dev: string) =>
  (process.env.NODE_ENV === 'production' ? schema : schema.default(dev as never)) as unknown as T

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    APP_URL: z.url().default('http://localhost:3000'),
    SESSION_SECRET: devDefault(
      z.string().min(32, 'SESSION_SECRET must be at least 32 characters'),
      'dev-only-secret-change-me-0123456789abcdef',
    ),
    DATABASE_URL: devDefault(
      z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgresql:// URL'),
      'postgresql://postgres@127.0.0.1:5432/erc',
    ),
    REDIS_URL: devDefault(
      z.string().regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URL'),
      'redis://127.0.0.1:6379',
    ),
    /** Prefix for every Redis key we write (queues, rate limits), so test workers never collide. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]+$/)
      .default('erc'),
    MEILI_URL: devDefault(z.url(), 'http://127.0.0.1:7700'),
    MEILI_MASTER_KEY: devDefault(
      z.string().min(16, 'MEILI_MASTER_KEY must be at least 16 characters'),
      'dev-only-meili-master-key-0123456789',
    ),
    MEILI_INDEX_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]+$/)
      .default('erc'),
    STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
    STORAGE_LOCAL_ROOT: z.string().default('.data/storage'),
    S3_ENDPOINT: z.string().default('http://127.0.0.1:9000'),
    S3_REGION: z.string().default('us-east-1'),
    S3_BUCKET: z.string().default('erc'),
    S3_ACCESS_KEY: z.string().default(''),
    S3_SECRET_KEY: z.string().default(''),
    /** log: messages go to the log (development); memory: kept in-process (tests); smtp: e-mail
     * through SMTP_URL (SMS still goes to the log: no SMS gateway is configured). */
    MESSAGE_TRANSPORT: z.enum(['log', 'memory', 'smtp']).default('log'),
    /** smtp://user:password@host:port (smtps:// for TLS from the start). */
    SMTP_URL: z.string().default(''),
    MAIL_FROM: z.string().default('湖南省教育资源云 <noreply@example.cn>'),
    DEFAULT_PLATFORM_SLUG: z.string().default('hunan'),
    /** "1" only in the demo (scripts/demo.ts): the sign-in page then says where the demo accounts are.
     * Off by default, so a real deployment never shows it. */
    DEMO_MODE: z
      .enum(['0', '1'])
      .default('0')
      .transform((v) => v === '1'),
    SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
    SIGNIN_WINDOW_SECONDS: z.coerce.number().int().min(10).default(900),
    /** Which proxies may tell us the client's address (X-Forwarded-For) and scheme: a hop count
     * ("1"), or a comma-separated list of addresses and CIDRs. Loopback only by default, so that
     * nobody on a school's network can forge an address for the limits and the audit log. */
    TRUST_PROXY: z
      .string()
      .trim()
      .default('loopback')
      .refine(
        (v) =>
          /^\d{1,2}$/.test(v) ||
          v.split(',').every((p) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(p.trim())),
        {
          message: 'TRUST_PROXY must be a hop count or a comma-separated list of addresses/CIDRs',
        },
      ),
    /** An upload that has received no bytes for this long is abandoned: its file record and bytes are swept. */
    UPLOAD_ABANDON_AFTER_HOURS: z.coerce.number().positive().default(24),
    // Ingest limits (see app/services/media/limits.server.ts). Sizes in MB.
    UPLOAD_MAX_VIDEO_MB: z.coerce.number().positive().default(4096),
    UPLOAD_MAX_AUDIO_MB: z.coerce.number().positive().default(500),
    UPLOAD_MAX_DOCUMENT_MB: z.coerce.number().positive().default(300),
    UPLOAD_MAX_IMAGE_MB: z.coerce.number().positive().default(50),
    UPLOAD_MAX_SUBTITLE_MB: z.coerce.number().positive().default(2),
    VIDEO_MAX_SECONDS: z.coerce
      .number()
      .positive()
      .default(3 * 3600),
    IMAGE_MAX_PIXELS: z.coerce.number().int().positive().default(80_000_000),
    /** A DOCX/PPTX/XLSX whose entries would unpack to more than this is refused (zip bombs). */
    DOCUMENT_MAX_UNPACKED_MB: z.coerce.number().positive().default(1024),
    DOCUMENT_MAX_PREVIEW_PAGES: z.coerce.number().int().positive().default(300),
    // Processing tools: explicit paths win; otherwise ffmpeg-static if its binary exists, else PATH.
    FFMPEG_PATH: z.string().optional(),
    FFPROBE_PATH: z.string().optional(),
    SOFFICE_PATH: z.string().default('soffice'),
    /** Scratch space for processing; every step gets its own folder, removed afterwards. */
    WORK_DIR: z.string().default(''),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    /** How long a job's lock lasts before another worker may take over a crashed one. */
    WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
    /** Multiplies every processing step's timeout (tests shrink it to prove the kill works). */
    MEDIA_TIMEOUT_FACTOR: z.coerce.number().positive().default(1),
    /** Stripe (the marketplace). Test-mode keys by default; production sets live ones. */
    STRIPE_SECRET_KEY: devDefault(
      z
        .string()
        .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,}$/, 'STRIPE_SECRET_KEY must be a Stripe secret key (sk_…)'),
      'sk_test_dev_only_0123456789',
    ),
    /** Signing secret of our webhook endpoint (whsec_…); every delivery is verified with it. */
    STRIPE_WEBHOOK_SECRET: devDefault(
      z.string().regex(/^whsec_[A-Za-z0-9_]{8,}$/, 'STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)'),
      'whsec_dev_only_0123456789abcdef',
    ),
    /** The signing secret of the Connect endpoint (events of providers' accounts: account.updated),
     * when Stripe sends them to an endpoint of their own; empty when one endpoint takes both. */
    STRIPE_CONNECT_WEBHOOK_SECRET: z.union([z.literal(''), z.string().regex(/^whsec_[A-Za-z0-9_]{8,}$/)]).default(''),
    /** Where the Stripe SDK sends requests: empty for api.stripe.com; the demo and the tests point
     * it at the local fake (scripts/fake-stripe/server.ts), e.g. http://127.0.0.1:12111. */
    STRIPE_API_URL: z.union([z.literal(''), z.url()]).default(''),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_DRIVER === 's3' && (!env.S3_ACCESS_KEY || !env.S3_SECRET_KEY))
      ctx.addIssue({
        code: 'custom',
        path: ['S3_ACCESS_KEY'],
        message: 'S3_ACCESS_KEY and S3_SECRET_KEY are required when STORAGE_DRIVER=s3',
      })
    if (env.MESSAGE_TRANSPORT === 'smtp' && !/^smtps?:\/\//.test(env.SMTP_URL))
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message: 'SMTP_URL (smtp:// or smtps://) is required when MESSAGE_TRANSPORT=smtp',
      })
    if (env.NODE_ENV === 'production' && /dev_only/.test(env.STRIPE_SECRET_KEY + env.STRIPE_WEBHOOK_SECRET))
      ctx.addIssue({ code: 'custom', path: ['STRIPE_SECRET_KEY'], message: 'set real Stripe keys in production' })
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
