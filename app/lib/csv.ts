/** CSV for spreadsheet programs: UTF-8 with a BOM (so Excel reads the Chinese), every cell quoted,
 * spreadsheet formulas neutralised (=, +, -, @) so that an exported cell never runs. */

export const CSV_BOM = '\uFEFF'

export const csvCell = (v: unknown) => {
  const s = String(v ?? '')
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return `"${safe.replace(/"/g, '""')}"`
}

export const csvRow = (cells: unknown[]) => cells.map(csvCell).join(',') + '\r\n'

/** A whole small CSV file as a download response. */
export function csvResponse(name: string, header: string[], rows: unknown[][]) {
  const body = CSV_BOM + csvRow(header) + rows.map(csvRow).join('')
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    },
  })
}
