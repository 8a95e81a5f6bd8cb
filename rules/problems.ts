/**
 * User mistakes as data (`Problem`) and the one error type that carries them: shared by config
 * parsing, components, policies and the plan. Dependency-free.
 */
import { mustHide } from "./secretLike";

/** One thing wrong with the input: which key or argument, the value given, and what is allowed. */
export interface Problem {
    /** Config key (`runway:minInstances`) or component argument (`Service.minInstances`). */
    readonly key: string;
    /** The value that was given, as the user wrote it (`undefined` when missing). */
    readonly value: unknown;
    /** What is allowed, phrased as a fix. */
    readonly allowed: string;
}

/** Renders a problem as one line: `key = value: allowed`; a value that looks like a secret is never printed. */
export function formatProblem(problem: Problem): string {
    const marker = typeof problem.value === "string" && /^\([\w ,]*hidden\)$/.test(problem.value);
    const shown =
        problem.value === undefined
            ? "(not set)"
            : !marker && mustHide(problem.key, problem.value)
              ? "(hidden)"
              : JSON.stringify(problem.value);
    return `${problem.key} = ${shown}: ${problem.allowed}`;
}

/**
 * The one error type for user mistakes (bad config, bad component arguments). It carries
 * `pulumi.RunError`'s marker (`__pulumiRunError`, which the SDK's `RunError.isInstance` checks), so the
 * Pulumi CLI prints it without a stack trace, with no dependency on the SDK here.
 */
export class RunwayInputError extends Error {
    /** Read by `pulumi.RunError.isInstance`: the CLI prints the message without a stack trace. */
    public readonly __pulumiRunError = true;
    /** Marks the class across copies of this package. */
    public readonly __runwayInputError = true;

    constructor(
        public readonly context: string,
        public readonly problems: readonly Problem[],
    ) {
        super(
            `${context}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n` +
                problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
        );
        this.name = "RunwayInputError";
    }

    static isInstance(obj: unknown): obj is RunwayInputError {
        return typeof obj === "object" && obj !== null && (obj as { __runwayInputError?: unknown }).__runwayInputError === true;
    }
}

/** Throws one `RunwayInputError` listing every problem, or returns when there are none. */
export function throwIfProblems(context: string, problems: readonly Problem[]): void {
    if (problems.length > 0) {
        throw new RunwayInputError(context, problems);
    }
}

/**
 * One problem when `bad`, else none, to spread into a list of checks:
 * `[...problemIf(port < 1, "Service(web).port", port, "a port from 1 to 65535"), ...]`.
 */
export function problemIf(bad: boolean, key: string, value: unknown, allowed: string): Problem[] {
    return bad ? [{ key, value, allowed }] : [];
}
