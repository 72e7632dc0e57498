import type { Reporter, TestModule } from 'vitest/node'

/**
 * Fails the run when any test was skipped or marked todo: a green summary
 * must mean every test ran.
 */
export default class NoSkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = []
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        if (test.result().state === 'skipped') skipped.push(`${module.moduleId}: ${test.fullName}`)
      }
    }
    if (skipped.length > 0) {
      console.error(`\n${skipped.length} test(s) were skipped; every test must run:\n  ${skipped.join('\n  ')}`)
      process.exitCode = 1
    }
  }
}
