/** Test hook: CREDREG_TEST_CRASH_AT=<point> kills the process there (crash-injection tests). */
export function crashCheckpoint(point: string): void {
  if (process.env.CREDREG_TEST_CRASH_AT === point) process.kill(process.pid, "SIGKILL");
}
