import { afterEach, beforeEach, vi } from 'vitest'

// A stray console.error is a bug somewhere: fail the test that caused it.
let spy: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  spy = vi.spyOn(console, 'error')
})
afterEach(() => {
  const calls = spy.mock.calls
  spy.mockRestore()
  if (calls.length)
    throw new Error(`console.error was called: ${calls.map((c: unknown[]) => c.map(String).join(' ')).join('\n')}`)
})
