// What `/readyz` answers: a process is ready once every start-up step of its roles has finished and what those
// steps started is still running (api.md: migrations applied, admin bootstrapped, this process's roles running,
// Postgres and Redis answering). Migrations and the first admin come before the API listens (main.ts), so the
// steps tracked here are the ones that finish after it: workers consuming, connectors started.

/** One start-up step: `done` once it finished, then `healthy()` says whether it still runs. */
interface Step {
  done: boolean;
  healthy: () => boolean;
}

/** The start-up steps of one process and whether each still runs; `/readyz` lists `missing()` by name. */
export class Readiness {
  private readonly steps = new Map<string, Step>();

  /** Declares a step that must finish before the process is ready. */
  expect(name: string): void {
    this.steps.set(name, { done: false, healthy: () => true });
  }

  /** Marks `name` finished; `healthy` (checked on every probe) reports whether it still works. */
  done(name: string, healthy: () => boolean = () => true): void {
    this.steps.set(name, { done: true, healthy });
  }

  /** The names of steps not finished or no longer healthy, in the order they were declared. */
  missing(): string[] {
    return [...this.steps].filter(([, s]) => !s.done || !s.healthy()).map(([name]) => name);
  }
}
