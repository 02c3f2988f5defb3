/**
 * The CSRF rule for route modules, checked on their syntax tree (the TypeScript compiler's parser),
 * not on their text: a comment or a string that mentions readForm satisfies nothing.
 *
 * A route module that exports an `action` must read the request body through `readForm` imported
 * from ~/lib/csrf.server, called with the action's own `request` and `context` and awaited, and
 * must not read the body any other way (request.formData(), .json(), .text(), …), in the action or
 * anywhere else in the module. An action this cannot be true for goes on the caller's allow-list.
 */
import ts from 'typescript'

const CSRF_MODULE = /(^~\/lib\/csrf\.server|\/lib\/csrf\.server)(\.ts)?$/
const BODY_READS = new Set(['formData', 'json', 'text', 'arrayBuffer', 'blob', 'body', 'bodyUsed', 'clone'])

export type CsrfCheck = { hasAction: boolean; problems: string[] }

type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction

const isFunctionLike = (n: ts.Node | undefined): n is FunctionLike =>
  !!n && (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n))

const hasExport = (n: ts.Node) =>
  ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

function walk(node: ts.Node, visit: (n: ts.Node) => void) {
  visit(node)
  node.forEachChild((c) => walk(c, visit))
}

/** The function a module-level name is bound to (function declaration or const = function). */
function localFunction(sf: ts.SourceFile, name: string): FunctionLike | null {
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name?.text === name) return st
    if (ts.isVariableStatement(st))
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== name) continue
        let init = d.initializer
        while (
          init &&
          (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init))
        )
          init = init.expression
        if (isFunctionLike(init)) return init
      }
  }
  return null
}

/** The exported action: `export async function action`, `export const action = …`, `export { x as action }`. */
function exportedAction(sf: ts.SourceFile, problems: string[]): FunctionLike | null | undefined {
  let found: FunctionLike | null | undefined
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && hasExport(st) && st.name?.text === 'action') found = st
    if (ts.isVariableStatement(st) && hasExport(st))
      for (const d of st.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === 'action') {
          found = localFunction(sf, 'action')
          if (!found) problems.push('`action` is exported but is not a function written here')
        }
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause))
      for (const el of st.exportClause.elements) {
        if (el.name.text !== 'action') continue
        if (st.moduleSpecifier) {
          problems.push('`action` is re-exported from another module: its body cannot be checked here')
          found = null
        } else {
          found = localFunction(sf, (el.propertyName ?? el.name).text)
          if (!found) problems.push('`action` is exported but is not a function written here')
        }
      }
  }
  return found
}

/** How the action refers to its request and context: destructured names, or `args.request`. */
function argsOf(fn: FunctionLike) {
  const p = fn.parameters[0]
  const names = { request: new Set<string>(), context: new Set<string>(), whole: null as string | null }
  if (!p) return names
  if (ts.isObjectBindingPattern(p.name)) {
    for (const el of p.name.elements) {
      const key = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : null
      const local = ts.isIdentifier(el.name) ? el.name.text : null
      const field = key ?? local
      if (local && (field === 'request' || field === 'context')) names[field].add(local)
    }
  } else if (ts.isIdentifier(p.name)) names.whole = p.name.text
  return names
}

function refersTo(e: ts.Expression, field: 'request' | 'context', args: ReturnType<typeof argsOf>) {
  if (ts.isIdentifier(e)) return args[field].has(e.text)
  return (
    ts.isPropertyAccessExpression(e) &&
    ts.isIdentifier(e.expression) &&
    e.expression.text === args.whole &&
    e.name.text === field
  )
}

/** True when the call's value is awaited (directly, or through .catch/.then) in its statement. */
function awaited(call: ts.CallExpression) {
  let n: ts.Node = call
  while (n.parent && !ts.isStatement(n.parent) && !isFunctionLike(n.parent)) {
    if (ts.isAwaitExpression(n.parent)) return true
    n = n.parent
  }
  return ts.isReturnStatement(n.parent) || (isFunctionLike(n.parent) && n.parent.body === n)
}

export function checkCsrf(fileName: string, source: string): CsrfCheck {
  const sf = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
    fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  )
  const problems: string[] = []
  const action = exportedAction(sf, problems)
  if (action === undefined) return { hasAction: false, problems }
  if (action === null) return { hasAction: true, problems }

  // The local names bound to readForm by an import from ~/lib/csrf.server.
  const readForm = new Set<string>()
  for (const st of sf.statements)
    if (
      ts.isImportDeclaration(st) &&
      ts.isStringLiteral(st.moduleSpecifier) &&
      CSRF_MODULE.test(st.moduleSpecifier.text) &&
      st.importClause?.namedBindings &&
      ts.isNamedImports(st.importClause.namedBindings) &&
      !st.importClause.isTypeOnly
    )
      for (const el of st.importClause.namedBindings.elements)
        if ((el.propertyName ?? el.name).text === 'readForm' && !el.isTypeOnly) readForm.add(el.name.text)
  if (!readForm.size) problems.push('readForm is not imported from ~/lib/csrf.server')
  // …and not declared again anywhere in the module (a local function or variable of that name).
  walk(sf, (n) => {
    const declared =
      (ts.isFunctionDeclaration(n) ||
        ts.isVariableDeclaration(n) ||
        ts.isParameter(n) ||
        ts.isBindingElement(n) ||
        ts.isClassDeclaration(n)) &&
      n.name &&
      ts.isIdentifier(n.name) &&
      readForm.has(n.name.text)
    if (declared) problems.push(`readForm is shadowed by a local declaration at line ${line(sf, n)}`)
  })

  const args = argsOf(action)
  let reads = 0
  walk(action, (n) => {
    if (!ts.isCallExpression(n) || !ts.isIdentifier(n.expression) || !readForm.has(n.expression.text)) return
    const [req, ctx] = n.arguments
    if (!req || !ctx || !refersTo(req, 'request', args) || !refersTo(ctx, 'context', args))
      problems.push(`readForm at line ${line(sf, n)} is not given the action's own request and context`)
    else if (!awaited(n)) problems.push(`readForm at line ${line(sf, n)} is not awaited`)
    else reads++
  })
  if (!reads) problems.push('the action never reads its body through readForm(request, context)')

  // No other way to the body: request.formData(), request.json(), …, anywhere in the module.
  const requestNames = new Set([...args.request, 'request', 'req'])
  walk(sf, (n) => {
    if (!ts.isPropertyAccessExpression(n) || !BODY_READS.has(n.name.text)) return
    const target = n.expression
    const isRequest =
      (ts.isIdentifier(target) && requestNames.has(target.text)) ||
      (ts.isPropertyAccessExpression(target) && target.name.text === 'request')
    if (isRequest) problems.push(`the body is read directly (${n.getText(sf)}) at line ${line(sf, n)}`)
  })
  return { hasAction: true, problems }
}

function line(sf: ts.SourceFile, n: ts.Node) {
  return sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1
}
