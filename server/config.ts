import { resolve } from 'node:path'
import { z } from 'zod'
import { Limits } from '../shared/limits.js'
import { CrashPoints, type CrashPointName } from './storage/crashPoints.js'

/** Everything the server is configured with; `main.ts` builds it from the environment. */
export interface ServerConfig {
  host: string
  port: number
  dataDir: string
  /** Folder of the built client; the API works without it. */
  clientDir: string | null
  /** Password of the demo users; null seeds no demo workspace. */
  demoPassword: string | null
  /** Behind an HTTPS proxy: trust `X-Forwarded-*` and mark cookies Secure. */
  trustProxy: boolean
  /** Update-log records per section before they are folded into its snapshot. */
  compactAfterRecords: number
  /** Collaboration sockets one user, and one address, may hold open at once. */
  connectionCaps: { perUser: number; perAddress: number }
  /** Fault injection for the crash test (`CRASH_AT`); null in normal use. */
  crashAt: { point: CrashPointName; after: number } | null
  log: (message: string) => void
}

const DEFAULT_DEMO_PASSWORD = 'drafting-room-demo'

const environment = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').default(DEFAULT_DEMO_PASSWORD),
  NODE_ENV: z.string().default('development'),
  TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).default('0'),
  COMPACT_AFTER_RECORDS: z.coerce.number().int().min(1).default(10_000),
  CONNECTIONS_PER_USER: z.coerce.number().int().min(1).default(Limits.connectionsPerUser),
  CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(Limits.connectionsPerAddress),
  CRASH_AT: z
    .string()
    .optional()
    .transform((value, context) => {
      try {
        return CrashPoints.parse(value)
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message })
        return z.NEVER
      }
    }),
})

/**
 * Reads and validates the environment once. Returns every problem at once so
 * that a bad deployment is fixed in one go.
 */
export function configFromEnvironment(
  env: NodeJS.ProcessEnv,
  clientDir: string,
): { config: ServerConfig } | { problems: string[] } {
  const result = environment.safeParse(env)
  if (!result.success) {
    return { problems: result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) }
  }
  const values = result.data
  return {
    config: {
      host: values.HOST,
      port: values.PORT,
      dataDir: resolve(values.DATA_DIR),
      clientDir,
      demoPassword: values.NODE_ENV === 'production' ? null : values.DEMO_PASSWORD,
      trustProxy: values.TRUST_PROXY === '1' || values.TRUST_PROXY === 'true',
      compactAfterRecords: values.COMPACT_AFTER_RECORDS,
      crashAt: values.CRASH_AT,
      connectionCaps: { perUser: values.CONNECTIONS_PER_USER, perAddress: values.CONNECTIONS_PER_ADDRESS },
      log: (message) => console.log(message),
    },
  }
}
