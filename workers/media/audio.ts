/** Step `audio`: an AAC rendition (M4A, faststart) and a waveform picture (square-root scale,
 * so quiet classroom recordings still show their shape), from one decode. */
import path from 'node:path'
import { run, tools } from './tools.ts'
import { timeout, type StepInput, type StepOutput } from './types.ts'

export async function audioStep({ file, source, dir, signal }: StepInput): Promise<StepOutput> {
  const audio = path.join(dir, 'audio.m4a')
  const wave = path.join(dir, 'waveform.png')
  await run(
    tools.ffmpeg(),
    [
      '-hide_banner',
      '-nostdin',
      '-y',
      '-loglevel',
      'error',
      '-i',
      source,
      '-filter_complex',
      '[0:a:0]asplit=2[a1][a2];[a2]aformat=channel_layouts=mono,showwavespic=s=1200x160:colors=0x1d4ed8:scale=sqrt[w]',
      '-map',
      '[a1]',
      '-vn',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-movflags',
      '+faststart',
      audio,
      '-map',
      '[w]',
      '-frames:v',
      '1',
      wave,
    ],
    { cwd: dir, signal, timeoutMs: timeout(60_000 + (file.probe?.durationSec ?? 60) * 2_000) },
  )
  return {
    outputs: [
      { name: 'audio', path: audio },
      { name: 'waveform', path: wave, meta: { width: 1200, height: 160 } },
    ],
  }
}
