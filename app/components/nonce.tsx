/**
 * The Content-Security-Policy nonce of the page being rendered on the server (app/server/security.ts).
 * On the client it is empty: the browser has already checked the scripts, and the nonce must
 * never travel in loader data, where an injected script could read it.
 */
import { createContext, useContext } from 'react'

export const NonceContext = createContext('')

export const useNonce = () => useContext(NonceContext)
