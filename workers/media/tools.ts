/**
 * The external programs processing needs, found once and checked at worker boot.
 * ffmpeg/ffprobe: FFMPEG_PATH/FFPROBE_PATH → ffmpeg-static's binary when its download worked →
 * the system's (Debian's ffmpeg). See docs/decisions/0007-media-tools.md.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { env } from '../../app/lib/env.server.ts'

const require = createRequire(import.meta.url)

function ffmpegStatic(): string | null {
  try {
    const p = require('ffmpeg-static') as string | null
    return p && existsSync(p) ? p : null
  } catch {
    return null
  }
}

export const tools = {
  ffmpeg: () => env().FFMPEG_PATH || ffmpegStatic() || 'ffmpeg',
  ffprobe: () => env().FFPROBE_PATH || 'ffprobe',
  soffice: () => env().SOFFICE_PATH,
  pdftoppm: () => 'pdftoppm',
  pdftotext: () => 'pdftotext',
  pdfinfo: () => 'pdfinfo',
}

export class ToolError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly stderr: string,
    readonly timedOut: boolean,
  ) {
    super(message)
  }
}

export type RunOptions = { cwd?: string; signal?: AbortSignal; timeoutMs?: number; stdout?: 'collect' | 'ignore' }

/**
 * Runs a program without a shell. On timeout or abort the process is killed (SIGKILL: a
 * wedged ffmpeg or soffice ignores politer signals). Keeps the last 8 KB of stderr for the
 * error detail.
 */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      stdio: ['ignore', opts.stdout === 'ignore' ? 'ignore' : 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < 4_000_000) stdout += d
    })
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-8192)
    })
    const kill = () => {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true
          kill()
        }, opts.timeoutMs)
      : undefined
    const onAbort = () => kill()
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    child.on('error', (err) => {
      clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onAbort)
      reject(new ToolError(`${cmd}: ${err.message}`, null, '', false))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onAbort)
      if (code === 0 && !timedOut && !opts.signal?.aborted) resolve({ stdout, stderr })
      else
        reject(
          new ToolError(
            timedOut ? `${cmd} timed out after ${opts.timeoutMs} ms` : `${cmd} exited with ${code}`,
            code,
            stderr,
            timedOut || !!opts.signal?.aborted,
          ),
        )
    })
  })
}

export type ToolReport = { ok: boolean; missing: string[]; versions: Record<string, string> }

/** What the worker needs: ffmpeg with libx264 and aac, ffprobe, LibreOffice, poppler. */
export async function checkTools(): Promise<ToolReport> {
  const missing: string[] = []
  const versions: Record<string, string> = {}
  const firstLine = (s: string) => s.split('\n')[0]!.trim()
  try {
    versions.ffmpeg = firstLine((await run(tools.ffmpeg(), ['-hide_banner', '-version'], { timeoutMs: 15_000 })).stdout)
    const enc = (await run(tools.ffmpeg(), ['-hide_banner', '-encoders'], { timeoutMs: 15_000 })).stdout
    if (!/\blibx264\b/.test(enc)) missing.push('ffmpeg encoder libx264 (H.264)')
    if (!/\baac\b/.test(enc)) missing.push('ffmpeg encoder aac')
    if (!/\bmjpeg\b/.test(enc)) missing.push('ffmpeg encoder mjpeg')
  } catch {
    missing.push(`ffmpeg (${tools.ffmpeg()})`)
  }
  for (const [name, cmd, args] of [
    ['ffprobe', tools.ffprobe(), ['-hide_banner', '-version']],
    ['soffice', tools.soffice(), ['--version']],
    ['pdftoppm', tools.pdftoppm(), ['-v']],
    ['pdftotext', tools.pdftotext(), ['-v']],
    ['pdfinfo', tools.pdfinfo(), ['-v']],
  ] as const) {
    try {
      const r = await run(cmd, [...args], { timeoutMs: 60_000 })
      versions[name] = firstLine(r.stdout || r.stderr)
    } catch (e) {
      // poppler's tools print their version on stderr and exit 0 (or 99 on old versions).
      if (e instanceof ToolError && e.code !== null && e.stderr) versions[name] = firstLine(e.stderr)
      else missing.push(`${name} (${cmd})`)
    }
  }
  return { ok: missing.length === 0, missing, versions }
}

export const INSTALL_HINT =
  'apt-get install -y --no-install-recommends ffmpeg libreoffice-writer libreoffice-impress libreoffice-calc poppler-utils fonts-noto-cjk'
