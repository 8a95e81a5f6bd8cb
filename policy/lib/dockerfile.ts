/**
 * Dockerfile user checks, parsed with dockerfile-ast (the parser behind the Docker language server).
 *
 * Final stage, as Trivy DS-0002: a USER instruction must exist and the last USER the image runs as
 * must not be `root`, `0`, `root:<group>` or `0:<group>`. A final stage built `FROM` an earlier stage
 * inherits that stage's user. Build stages whose last USER is root are reported separately at
 * advisory level, as hadolint DL3002 does.
 */
import { DockerfileParser, Instruction } from "dockerfile-ast";

export interface BuildOptions {
    /** `--target`: the stage the image is built from (default: the last stage). */
    readonly target?: string;
    /** `--build-arg` values; they override ARG defaults. */
    readonly buildArgs?: Readonly<Record<string, string>>;
}

export interface StageUser {
    /** Stage name (`AS name`) or its index. */
    readonly stage: string;
    /** The effective user, `undefined` when the stage never sets one. */
    readonly user?: string;
    /** 1-based line of the USER instruction that set it. */
    readonly line?: number;
    /** Set when a variable in USER cannot be resolved. */
    readonly unresolved?: string;
}

export interface DockerfileReport {
    /** Why the image would run as root (empty when it does not). */
    readonly finalStageProblems: string[];
    /** Build stages (not the final one) whose last USER is root: advisory. */
    readonly rootBuildStages: StageUser[];
}

const ROOT_USER = /^(root|0)(:.*)?$/;

/** True for `root`, `0`, `root:<group>`, `0:<group>`. */
export function isRootUser(user: string): boolean {
    return ROOT_USER.test(user.trim());
}

interface Stage {
    readonly index: number;
    readonly name?: string;
    readonly base: string;
    readonly instructions: Instruction[];
}

function splitStages(content: string): { stages: Stage[]; globalArgs: Map<string, string | undefined> } {
    const dockerfile = DockerfileParser.parse(content);
    const stages: Stage[] = [];
    const globalArgs = new Map<string, string | undefined>();
    for (const instruction of dockerfile.getInstructions()) {
        const keyword = instruction.getKeyword();
        if (keyword === "FROM") {
            const args = instruction.getArguments().map((a) => a.getValue());
            const asAt = args.findIndex((a) => a.toUpperCase() === "AS");
            const positional = args.filter((a) => !a.startsWith("--"));
            stages.push({
                index: stages.length,
                name: asAt >= 0 ? args[asAt + 1]?.toLowerCase() : undefined,
                base: (positional[0] ?? "").toLowerCase(),
                instructions: [],
            });
        } else if (stages.length === 0) {
            if (keyword === "ARG") for (const [k, v] of argDeclarations(instruction)) globalArgs.set(k, v);
        } else {
            stages[stages.length - 1].instructions.push(instruction);
        }
    }
    return { stages, globalArgs };
}

/** `ARG A=1 B` → [["A","1"],["B",undefined]]. */
function argDeclarations(instruction: Instruction): [string, string | undefined][] {
    return instruction.getArguments().map((a) => {
        const text = a.getValue();
        const eq = text.indexOf("=");
        return eq < 0 ? [text, undefined] : [text.slice(0, eq), unquote(text.slice(eq + 1))];
    });
}

function unquote(v: string): string {
    return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** Expands `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` the way the builder does. */
function expand(text: string, vars: ReadonlyMap<string, string | undefined>): { value: string; unresolved?: string } {
    let unresolved: string | undefined;
    const value = text.replace(/\$(?:\{(\w+)(?::?([-+])([^}]*))?\}|(\w+))/g, (_m, braced, op, word, bare) => {
        const name: string = braced ?? bare;
        const current = vars.get(name);
        if (op === "-") return current ? current : word;
        if (op === "+") return current ? word : "";
        if (current === undefined) {
            unresolved ??= name;
            return "";
        }
        return current;
    });
    return { value, unresolved };
}

/** The last USER a stage sets, with ARG/ENV variables resolved (build args override ARG defaults). */
function lastUser(stage: Stage, globalArgs: Map<string, string | undefined>, buildArgs: Readonly<Record<string, string>>): StageUser {
    const vars = new Map<string, string | undefined>();
    let found: StageUser = { stage: stage.name ?? `#${stage.index + 1} (FROM ${stage.base})` };
    for (const instruction of stage.instructions) {
        const keyword = instruction.getKeyword();
        if (keyword === "ARG") {
            for (const [k, v] of argDeclarations(instruction)) {
                vars.set(k, buildArgs[k] ?? (v !== undefined ? expand(v, vars).value : globalArgs.get(k)));
            }
        } else if (keyword === "ENV") {
            for (const property of (
                instruction as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }
            ).getProperties()) {
                vars.set(property.getName(), expand(property.getValue() ?? "", vars).value);
            }
        } else if (keyword === "USER") {
            const raw = (instruction.getArgumentsContent() ?? "").trim();
            const { value, unresolved } = expand(raw, vars);
            found = { stage: found.stage, user: value, line: instruction.getRange().start.line + 1, unresolved };
        }
    }
    return found;
}

/** Checks a Dockerfile's users. Pure: give it the file content and the build options. */
export function checkDockerfile(content: string, options: BuildOptions = {}): DockerfileReport {
    const { stages, globalArgs } = splitStages(content);
    const buildArgs = options.buildArgs ?? {};
    if (stages.length === 0) return { finalStageProblems: ["the Dockerfile has no FROM instruction"], rootBuildStages: [] };

    let finalIndex = stages.length - 1;
    if (options.target) {
        finalIndex = stages.findIndex((s) => s.name === options.target!.toLowerCase());
        if (finalIndex < 0)
            return { finalStageProblems: [`build target "${options.target}" is not a stage of this Dockerfile`], rootBuildStages: [] };
    }

    const users = stages.map((s) => lastUser(s, globalArgs, buildArgs));
    /** A stage without USER inherits the user of the stage it is built FROM. */
    const effective = (index: number, seen = new Set<number>()): StageUser => {
        const own = users[index];
        if (own.user !== undefined || own.unresolved) return own;
        const parent = stages.findIndex((s, i) => i < index && s.name !== undefined && s.name === stages[index].base);
        if (parent < 0 || seen.has(parent)) return own;
        seen.add(parent);
        return effective(parent, seen);
    };

    const finalUser = effective(finalIndex);
    const finalStageProblems: string[] = [];
    const where = (u: StageUser) => `line ${u.line}`;
    if (finalUser.unresolved) {
        finalStageProblems.push(
            `USER at ${where(finalUser)} uses \${${finalUser.unresolved}}, which has no value (no ARG default, ENV or build arg)`,
        );
    } else if (finalUser.user === undefined) {
        finalStageProblems.push(
            `the final stage "${finalUser.stage}" has no USER instruction, so the container runs as the base image's user (root for most images)`,
        );
    } else if (finalUser.user.trim() === "") {
        finalStageProblems.push(`USER at ${where(finalUser)} is empty`);
    } else if (isRootUser(finalUser.user)) {
        finalStageProblems.push(
            `the last USER of the final stage is "${finalUser.user}" (${where(finalUser)}), so the container runs as root`,
        );
    }

    const rootBuildStages = users.filter((u, i) => i !== finalIndex && u.user !== undefined && isRootUser(u.user));
    return { finalStageProblems, rootBuildStages };
}
