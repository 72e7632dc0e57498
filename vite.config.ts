import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { build, defineConfig, type Plugin } from 'vite'

// The client lives in client/ and is built into dist/client, which the
// server serves. `npm run dev:client` proxies the API and the relay to a
// server on port 3000.
export default defineConfig({
  root: 'client',
  publicDir: false,
  plugins: [serviceWorker()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/collab': { target: 'ws://127.0.0.1:3000', ws: true },
      '/healthz': 'http://127.0.0.1:3000',
    },
  },
})

/**
 * Builds client/offline/serviceWorker.ts into `sw.js` beside the app once
 * the app's files are known, with the list to cache at install and a
 * version that changes with them, so that a new build installs a new
 * worker. A build of its own, so that the worker is one classic script.
 */
function serviceWorker(): Plugin {
  return {
    name: 'drafting-room:service-worker',
    apply: 'build',
    async writeBundle(options, bundle) {
      const files = Object.keys(bundle).filter(isPrecached).sort()
      const version = createHash('sha256').update(files.join('\n')).update(sourceOf(bundle['index.html'])).digest('hex').slice(0, 12)
      await build({
        configFile: false,
        logLevel: 'warn',
        define: { __BUILD_VERSION__: JSON.stringify(version), __PRECACHE_FILES__: JSON.stringify(files) },
        build: {
          outDir: options.dir,
          emptyOutDir: false,
          copyPublicDir: false,
          sourcemap: true,
          target: 'es2022',
          lib: {
            entry: fileURLToPath(new URL('client/offline/serviceWorker.ts', import.meta.url)),
            formats: ['iife'],
            name: 'draftingRoomServiceWorker',
            fileName: () => 'sw.js',
          },
        },
      })
    },
  }
}

// What the worker caches at install: the app's code, styles and icon, and
// the fonts for the Latin script the interface is written in. Other font
// subsets are cached the first time a page needs them; .woff files serve
// only browsers without .woff2, source maps only developers, and index.html
// is cached as the page itself.
function isPrecached(fileName: string): boolean {
  if (fileName === 'index.html' || fileName.endsWith('.map') || fileName.endsWith('.woff')) return false
  return !fileName.endsWith('.woff2') || fileName.includes('-latin-')
}

function sourceOf(output: { type: 'asset'; source: string | Uint8Array } | { type: 'chunk'; code: string } | undefined): string | Uint8Array {
  if (!output) throw new Error('The client build has no index.html for the service worker to cache')
  return output.type === 'asset' ? output.source : output.code
}
