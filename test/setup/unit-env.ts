process.env.NODE_ENV = 'test'
process.env.SESSION_SECRET ??= 'test-only-session-secret-0123456789abcdef'
process.env.LOG_LEVEL = 'silent'
