/** Workers check their tools at boot and name what is missing. */
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../scripts/lib/services.ts'
import { checkTools } from '../../workers/media/tools.ts'

describe('the worker checks its processing tools at boot', () => {
  it('finds ffmpeg (with libx264 and aac), ffprobe, soffice and poppler here', async () => {
    const r = await checkTools()
    expect(r.missing).toEqual([])
    expect(r.ok).toBe(true)
    expect(r.versions.ffmpeg).toMatch(/ffmpeg version/)
    expect(r.versions.soffice).toMatch(/LibreOffice/)
    expect(r.versions.pdftoppm).toMatch(/pdftoppm/)
  })

  it('refuses to start without LibreOffice, and says so', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
      cwd: ROOT,
      env: { ...process.env, SOFFICE_PATH: '/nonexistent/soffice', LOG_FILE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    expect(code).toBe(1)
    expect(out).toContain('processing tools missing: soffice (/nonexistent/soffice)')
    expect(out).toContain('apt-get install')
  }, 60_000)
})
