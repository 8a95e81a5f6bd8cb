/**
 * The user a Dockerfile's image runs as, resolved the way BuildKit builds it, then judged as Trivy
 * DS-0002 and hadolint DL3002 do.
 *
 * Resolution (moby/buildkit frontend/dockerfile/dockerfile2llb/convert.go): ARGs before the first
 * FROM are global and visible in a stage only once it declares them again; a stage ARG takes the
 * build arg, else its default, else the global value; ARG and ENV values are expanded with the
 * variables set before the instruction; a stage built `FROM <stage>` starts with that stage's
 * variables and USER; USER is expanded with quotes removed and escapes processed
 * (`dockerfileWords.ts`). A variable the Dockerfile never declares may come from the base image's
 * ENV, which is unknowable offline: a USER that depends on one is neither passed nor failed.
 *
 * Judgement: the final stage (or `--target`) must have a USER (DS-0002) and its effective user must
 * not be root: `root`, uid 0 (`0`, `00`), an empty user (Docker's default, root), with any group.
 * Build stages whose own last USER is root are reported separately (advisory, as DL3002).
 */
import { DockerfileParser, Instruction } from "dockerfile-ast";
import { Binding, Expansion, WordSyntaxError, concrete, expandWord, splitWords, unknownsOf } from "./dockerfileWords";

export interface BuildOptions {
    /** `--target`: the stage the image is built from (default: the last stage). */
    readonly target?: string;
    /** `--build-arg` values; they override ARG defaults. */
    readonly buildArgs?: Readonly<Record<string, string>>;
}

export type UserVerdict = "root" | "non-root" | "unknown";

export interface StageUser {
    /** Stage name (`AS name`), or `#<n> (FROM <image>)`. */
    readonly stage: string;
    /** The USER argument as written; undefined when the stage (and its parents) never set one. */
    readonly user?: string;
    /** 1-based line of that USER instruction. */
    readonly line?: number;
    /** The stage that set it, when the user is inherited through `FROM <stage>`. */
    readonly setIn?: string;
    /** What the USER expands to when that is known. */
    readonly value?: string;
    readonly verdict: UserVerdict;
    /** Base-image variables the user depends on (verdict "unknown"). */
    readonly baseVariables?: string[];
    /** Why the value is what it is, when a variable is unset (e.g. a global ARG not declared in the stage). */
    readonly note?: string;
    /** For an unknown verdict: some values the base image could leave it at are root. */
    readonly rootIfUnset?: boolean;
    /** Why BuildKit would refuse the USER argument (`${`, `${A:?}` with A unset). */
    readonly error?: string;
}

export interface DockerfileReport {
    /** The stage the image is built from (its name, or `#<n> (FROM <image>)`). */
    readonly finalStage: string;
    /** The final stage's effective user. */
    readonly finalUser?: StageUser;
    /** Why the image would run as root (empty when it does not): mandatory. */
    readonly finalStageProblems: string[];
    /** The final user depends on the base image's ENV: advisory. */
    readonly baseImageAdvisories: string[];
    /** Build stages (not the final one) whose own last USER is root: advisory. */
    readonly rootBuildStages: StageUser[];
}

/** True for a user (with or without a group) that is root: `root`, uid 0, or empty. */
export function isRootUser(user: string): boolean {
    const name = user.trim().split(":")[0];
    return name === "" || name === "root" || /^\+?0+$/.test(name);
}

/**
 * Root, non-root, or unknown for an expansion whose parts may come from the base image. A known
 * prefix decides when it cannot grow into a root user name (`app$X` is not root; `$X`, `ro$X` may be).
 */
export function userVerdict(expansion: Expansion): UserVerdict {
    const text = concrete(expansion);
    if (text !== undefined) return isRootUser(text) ? "root" : "non-root";
    const firstUnknown = expansion.findIndex((p) => typeof p !== "string");
    const prefix = expansion.slice(0, firstUnknown).join("").trimStart();
    if (prefix.includes(":")) return isRootUser(prefix) ? "root" : "non-root";
    const couldBeRoot = "root".startsWith(prefix) || /^\+?0*$/.test(prefix) || prefix === "root";
    return couldBeRoot ? "unknown" : "non-root";
}

interface Stage {
    readonly index: number;
    readonly name?: string;
    /** Image or stage name after expanding global ARGs, lower case. */
    readonly base: string;
    readonly label: string;
    readonly instructions: Instruction[];
}

interface Parsed {
    readonly stages: Stage[];
    readonly globals: Instruction[];
    readonly escapeChar: string;
    /** Every variable name the Dockerfile declares somewhere (ARG or ENV): not a base-image variable. */
    readonly ownNames: Set<string>;
}

/** The argument text of an instruction, continuation lines joined and their comment lines dropped. */
function restOf(instruction: Instruction): string {
    const content = instruction.getArgumentsContent() ?? "";
    return content
        .split("\n")
        .filter((line, i) => i === 0 || !/^\s*#/.test(line))
        .join("")
        .trim();
}

/** `ARG A=1 B` → [["A", "1"], ["B", undefined]] (the value still to expand). */
function argPairs(rest: string, esc: string): [string, string | undefined][] {
    return splitWords(rest, esc).map((word) => {
        const eq = word.indexOf("=");
        return eq < 0 ? [word, undefined] : [word.slice(0, eq), word.slice(eq + 1)];
    });
}

/** `ENV A=1 B="x y"` or the legacy `ENV A value with spaces`. */
function envPairs(rest: string, esc: string): [string, string][] {
    const words = splitWords(rest, esc);
    if (words.length === 0) return [];
    if (!words[0].includes("=")) {
        const [name, ...value] = rest.split(/\s+/);
        return [[name, rest.slice(name.length).trim() || value.join(" ")]];
    }
    return words.filter((w) => w.includes("=")).map((w) => [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]);
}

function parse(content: string): Parsed {
    const dockerfile = DockerfileParser.parse(content);
    const escapeChar = dockerfile.getEscapeCharacter();
    const stages: Stage[] = [];
    const globals: Instruction[] = [];
    const ownNames = new Set<string>();
    for (const instruction of dockerfile.getInstructions()) {
        const keyword = instruction.getKeyword().toUpperCase();
        if (keyword === "ARG") for (const [name] of argPairs(restOf(instruction), escapeChar)) ownNames.add(name);
        if (keyword === "ENV") for (const [name] of envPairs(restOf(instruction), escapeChar)) ownNames.add(name);
        if (keyword === "FROM") {
            const words = restOf(instruction)
                .split(/\s+/)
                .filter((w) => w !== "" && !w.startsWith("--"));
            const asAt = words.findIndex((w) => w.toUpperCase() === "AS");
            const name = asAt >= 0 ? words[asAt + 1]?.toLowerCase() : undefined;
            const base = words[0] ?? "";
            stages.push({
                index: stages.length,
                name,
                base,
                label: name ?? `#${stages.length + 1} (FROM ${base})`,
                instructions: [],
            });
        } else if (stages.length === 0) {
            if (keyword === "ARG") globals.push(instruction);
        } else {
            stages[stages.length - 1].instructions.push(instruction);
        }
    }
    return { stages, globals, escapeChar, ownNames };
}

/** A variable's values for expansion: a known string, several possibilities, or unset. */
type Vars = Map<string, Binding>;

interface StageState {
    readonly vars: Vars;
    /** Whether names the Dockerfile never sets may come from a base image (not `FROM scratch`). */
    readonly baseEnv: boolean;
    /** The external image at the root of the stage chain. */
    readonly image: string;
    readonly user?: { raw: string; line: number; stage: string; values: Expansion[]; note?: string; error?: string };
}

function lookupIn(state: Pick<StageState, "vars" | "baseEnv">, ownNames: Set<string>, unsetOwn: Set<string>) {
    return (name: string): Binding => {
        const bound = state.vars.get(name);
        if (bound) return bound;
        if (state.baseEnv && !ownNames.has(name)) return { kind: "base" };
        if (ownNames.has(name)) unsetOwn.add(name);
        return { kind: "unset" };
    };
}

function globalArgs(parsed: Parsed, buildArgs: Readonly<Record<string, string>>): Vars {
    const vars: Vars = new Map();
    for (const instruction of parsed.globals) {
        for (const [name, value] of argPairs(restOf(instruction), parsed.escapeChar)) {
            if (buildArgs[name] !== undefined) vars.set(name, { kind: "set", values: [[buildArgs[name]]] });
            else if (value !== undefined)
                vars.set(name, {
                    kind: "set",
                    values: expandWord(value, lookupIn({ vars, baseEnv: false }, parsed.ownNames, new Set()), parsed.escapeChar),
                });
        }
    }
    return vars;
}

/** Expands a word, turning a syntax error into a value nobody can judge. */
function expandSafely(word: string, lookup: (n: string) => Binding, esc: string): { values: Expansion[]; error?: string } {
    try {
        return { values: expandWord(word, lookup, esc) };
    } catch (err) {
        if (err instanceof WordSyntaxError) return { values: [], error: err.message };
        throw err;
    }
}

function noteFor(unsetOwn: Set<string>, globals: Vars): string | undefined {
    if (unsetOwn.size === 0) return undefined;
    return [...unsetOwn]
        .map((n) =>
            globals.has(n)
                ? `${n} is declared before FROM, which is out of scope until the stage declares ARG ${n} again`
                : `${n} has no value at that line: no ARG default, ENV or build arg sets it before`,
        )
        .join("; ");
}

/** Runs one stage's ARG, ENV and USER instructions on top of its starting state. */
function runStage(stage: Stage, start: StageState, parsed: Parsed, globals: Vars, buildArgs: Readonly<Record<string, string>>): StageState {
    const vars: Vars = new Map(start.vars);
    let user = start.user;
    for (const instruction of stage.instructions) {
        const keyword = instruction.getKeyword().toUpperCase();
        const rest = restOf(instruction);
        const unsetOwn = new Set<string>();
        // ARG pairs see the ones before them; ENV pairs all see the variables from before the instruction.
        const lookup = lookupIn({ vars: keyword === "ENV" ? new Map(vars) : vars, baseEnv: start.baseEnv }, parsed.ownNames, unsetOwn);
        if (keyword === "ARG") {
            for (const [name, value] of argPairs(rest, parsed.escapeChar)) {
                if (buildArgs[name] !== undefined) vars.set(name, { kind: "set", values: [[buildArgs[name]]] });
                else if (value !== undefined)
                    vars.set(name, { kind: "set", values: expandSafely(value, lookup, parsed.escapeChar).values });
                else if (globals.has(name)) vars.set(name, globals.get(name)!);
                else if (!vars.has(name)) vars.set(name, { kind: "unset" });
            }
        } else if (keyword === "ENV") {
            for (const [name, value] of envPairs(rest, parsed.escapeChar))
                vars.set(name, { kind: "set", values: expandSafely(value, lookup, parsed.escapeChar).values });
        } else if (keyword === "USER") {
            const { values, error } = expandSafely(rest, lookup, parsed.escapeChar);
            const line = instruction.getRange().start.line + 1;
            user = { raw: rest, line, stage: stage.label, values, error, note: noteFor(unsetOwn, globals) };
        }
    }
    return { vars, baseEnv: start.baseEnv, image: start.image, user };
}

function stageUser(stage: Stage, state: StageState): StageUser {
    const u = state.user;
    if (u === undefined) return { stage: stage.label, verdict: "root" };
    const verdicts = new Set(u.values.map(userVerdict));
    const verdict: UserVerdict = u.error ? "unknown" : verdicts.size === 1 ? [...verdicts][0] : "unknown";
    const known = u.values.length === 1 ? concrete(u.values[0]) : undefined;
    const baseVariables = [...new Set(u.values.flatMap(unknownsOf))];
    return {
        stage: stage.label,
        user: u.raw,
        line: u.line,
        ...(u.stage !== stage.label ? { setIn: u.stage } : {}),
        ...(known !== undefined ? { value: known } : {}),
        verdict,
        ...(baseVariables.length > 0 ? { baseVariables } : {}),
        ...(u.note ? { note: u.note } : {}),
        ...(verdict === "unknown" && verdicts.has("root") ? { rootIfUnset: true } : {}),
        ...(u.error ? { error: u.error } : {}),
    };
}

/** The final stage's problems (mandatory) and base-image advisories, worded for the user. */
function judgeFinal(final: StageUser, image: string): { problems: string[]; advisories: string[] } {
    const where = `the final stage "${final.stage}"`;
    if (final.user === undefined) {
        const why =
            image === "scratch"
                ? "and builds FROM scratch, so the container runs as uid 0"
                : "so the container runs as the base image's user (root for most images; Trivy DS-0002 asks for an explicit USER)";
        return { problems: [`${where} has no USER instruction, ${why}`], advisories: [] };
    }
    if (final.user === "")
        return { problems: [`${where} has a USER without an argument at line ${final.line}, which docker build refuses`], advisories: [] };
    const source = `USER ${final.user} at line ${final.line}${final.setIn ? `, set in stage "${final.setIn}" and inherited through FROM` : ""}`;
    const note = final.note ? `; ${final.note}` : "";
    if (final.verdict === "root") {
        const runs =
            final.value === "" ? "as the default user, root, because the user expands to nothing" : `as "${final.value ?? final.user}"`;
        return { problems: [`${where} runs ${runs} (${source}), which is root${note}`], advisories: [] };
    }
    if (final.verdict === "unknown") {
        const vars = final.baseVariables ?? [];
        const reason =
            vars.length > 0
                ? `which depends on ${vars.join(", ")}: only the base image "${image}" can set ${vars.length > 1 ? "them" : "it"}, and its environment cannot be read offline${final.rootIfUnset ? ` (root if it leaves ${vars.join(", ")} unset or empty)` : ""}; check that image's user is not root`
                : `which cannot be expanded (${final.error ?? "unknown"}): docker build would refuse it as written`;
        return { problems: [], advisories: [`${where} sets ${source}, ${reason}${note}`] };
    }
    return { problems: [], advisories: [] };
}

/** Checks a Dockerfile's users. Pure: give it the file content and the build options. */
export function checkDockerfile(content: string, options: BuildOptions = {}): DockerfileReport {
    const parsed = parse(content);
    const buildArgs = options.buildArgs ?? {};
    const empty = (stage: string, problem: string): DockerfileReport => ({
        finalStage: stage,
        finalStageProblems: [problem],
        baseImageAdvisories: [],
        rootBuildStages: [],
    });
    if (parsed.stages.length === 0) return empty("", "the Dockerfile has no FROM instruction");
    let finalIndex = parsed.stages.length - 1;
    if (options.target) {
        finalIndex = parsed.stages.findIndex((s) => s.name === options.target!.toLowerCase());
        if (finalIndex < 0) return empty(options.target, `build target "${options.target}" is not a stage of this Dockerfile`);
    }

    const globals = globalArgs(parsed, buildArgs);
    const states: StageState[] = [];
    for (const stage of parsed.stages) {
        const base = expandWord(stage.base, lookupIn({ vars: globals, baseEnv: false }, parsed.ownNames, new Set()), parsed.escapeChar)
            .map((e) => concrete(e) ?? "")[0]
            ?.toLowerCase();
        const parent = parsed.stages.findIndex((s, i) => i < stage.index && s.name !== undefined && s.name === base);
        const start: StageState =
            parent >= 0 ? states[parent] : { vars: new Map(), baseEnv: base !== "scratch", image: base ?? stage.base, user: undefined };
        states.push(runStage(stage, start, parsed, globals, buildArgs));
    }

    const users = parsed.stages.map((s, i) => stageUser(s, states[i]));
    const finalUser = users[finalIndex];
    const { problems, advisories } = judgeFinal(finalUser, states[finalIndex].image);
    const rootBuildStages = users.filter(
        (u, i) => i !== finalIndex && u.user !== undefined && u.setIn === undefined && u.verdict === "root",
    );
    return {
        finalStage: finalUser.stage,
        finalUser,
        finalStageProblems: problems,
        baseImageAdvisories: advisories,
        rootBuildStages,
    };
}
