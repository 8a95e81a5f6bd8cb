/**
 * The program a command line runs, seen through the wrappers CI scripts put in front of it
 * (`sudo`, `env`, `time`, `npx`, `pipx run`, `go run`, `python -m`, `xargs`, `docker run <image>`…),
 * and flag reading in the forms CLIs accept (`--flag value`, `--flag=value`, `-f value`). Pure.
 */

export interface Invocation {
    /** Executable name without directory (`"$RUNNER_TEMP/gitleaks"` → `gitleaks`). */
    readonly exe: string;
    readonly args: string[];
}

/** Scanner images whose entrypoint is the scanner: `docker run <image> <args>` runs `<exe> <args>`. */
const SCANNER_IMAGES: Record<string, string> = {
    trivy: "trivy",
    gitleaks: "gitleaks",
    hadolint: "hadolint",
    grype: "grype",
    trufflehog: "trufflehog",
    ggshield: "ggshield",
    "osv-scanner": "osv-scanner",
    checkov: "checkov",
};

/** `ghcr.io/aquasecurity/trivy:0.58.1@sha256:…` → `trivy`. */
export function imageName(image: string): string {
    const withoutDigest = image.split("@")[0];
    const last = withoutDigest.split("/").pop() ?? "";
    return last.split(":")[0].toLowerCase();
}

/** The scanner a container image runs by default, if it is one. */
export function scannerOfImage(image: string): string | undefined {
    return SCANNER_IMAGES[imageName(image)];
}

export function basename(program: string): string {
    return (program.split("/").pop() ?? program).replace(/\.exe$/i, "");
}

const DOCKER_RUN_VALUE_FLAGS = new Set(
    "-v --volume -e --env --env-file -w --workdir --name --entrypoint --network --net -u --user --platform --mount -p --publish -l --label --cpus -m --memory --pull --add-host -h --hostname --device --cap-add --cap-drop --security-opt --tmpfs --shm-size --ulimit --restart --log-driver --log-opt --ipc --pid --userns --runtime --gpus --cidfile --group-add --dns --expose --link --stop-signal --stop-timeout --volumes-from --label-file".split(
        " ",
    ),
);

/** `docker run [options] image [command…]`: the command the container runs. */
function dockerRun(args: string[]): Invocation | undefined {
    let i = 0;
    let entrypoint: string | undefined;
    while (i < args.length && args[i].startsWith("-")) {
        const flag = args[i].split("=")[0];
        if (flag === "--entrypoint") entrypoint = args[i].includes("=") ? args[i].slice(args[i].indexOf("=") + 1) : args[i + 1];
        i += DOCKER_RUN_VALUE_FLAGS.has(flag) && !args[i].includes("=") ? 2 : 1;
    }
    const image = args[i];
    if (image === undefined) return undefined;
    const rest = args.slice(i + 1);
    const scanner = scannerOfImage(image);
    if (entrypoint) return invocationOf([entrypoint, ...rest]);
    if (scanner) return { exe: scanner, args: rest[0] === scanner ? rest.slice(1) : rest };
    return rest.length > 0 ? invocationOf(rest) : undefined;
}

/** Skips a wrapper's own options; `valued` lists those that take a value. */
function afterOptions(args: string[], valued: string[] = []): string[] {
    let i = 0;
    while (i < args.length && args[i].startsWith("-") && args[i] !== "--") i += valued.includes(args[i]) ? 2 : 1;
    return args.slice(args[i] === "--" ? i + 1 : i);
}

/** A Go package path run with `go run`/`go tool`: its last element is the program. */
function goProgram(spec: string): string {
    return basename(spec.split("@")[0]);
}

type Unwrap = (args: string[]) => Invocation | undefined;

const WRAPPERS: Record<string, Unwrap> = {
    sudo: (a) => invocationOf(afterOptions(a, ["-u", "-g", "-C"])),
    env: (a) => {
        const rest = afterOptions(a, ["-u", "-C"]);
        return invocationOf(
            rest.slice(
                Math.max(
                    0,
                    rest.findIndex((w) => !w.includes("=")),
                ),
            ),
        );
    },
    time: (a) => invocationOf(afterOptions(a)),
    exec: (a) => invocationOf(afterOptions(a, ["-a"])),
    nice: (a) => invocationOf(afterOptions(a, ["-n"])),
    nohup: (a) => invocationOf(a),
    timeout: (a) => invocationOf(afterOptions(a, ["-s", "-k", "--signal", "--kill-after"]).slice(1)),
    xargs: (a) => invocationOf(afterOptions(a, ["-I", "-L", "-n", "-P", "-d", "-a", "-E", "-s", "--max-args", "--max-procs"])),
    npx: (a) => invocationOf(afterOptions(a, ["-p", "--package", "-c", "--call"])),
    bunx: (a) => invocationOf(afterOptions(a)),
    uvx: (a) => invocationOf(afterOptions(a, ["--from", "--with", "--python", "-p"])),
    pipx: (a) => (a[0] === "run" ? invocationOf(afterOptions(a.slice(1), ["--spec", "--python"])) : undefined),
    pnpm: (a) => (a[0] === "dlx" || a[0] === "exec" ? invocationOf(afterOptions(a.slice(1))) : undefined),
    yarn: (a) => (a[0] === "dlx" || a[0] === "exec" ? invocationOf(afterOptions(a.slice(1), ["-p", "--package"])) : undefined),
    poetry: (a) => (a[0] === "run" ? invocationOf(a.slice(1)) : undefined),
    pipenv: (a) => (a[0] === "run" ? invocationOf(a.slice(1)) : undefined),
    uv: (a) => (a[0] === "run" ? invocationOf(afterOptions(a.slice(1), ["--with", "--python", "-p", "--from"])) : undefined),
    bundle: (a) => (a[0] === "exec" ? invocationOf(a.slice(1)) : undefined),
    go: (a) => {
        if (a[0] === "tool" && a[1]) return { exe: goProgram(a[1]), args: a.slice(2) };
        if (a[0] !== "run") return undefined;
        const rest = afterOptions(a.slice(1), ["-C", "-tags", "-mod", "-exec"]);
        return rest[0] ? { exe: goProgram(rest[0]), args: rest.slice(1) } : undefined;
    },
    python: (a) => pythonModule(a),
    python3: (a) => pythonModule(a),
    docker: (a) => (a[0] === "run" ? dockerRun(a.slice(1)) : a[0] === "container" && a[1] === "run" ? dockerRun(a.slice(2)) : undefined),
    podman: (a) => (a[0] === "run" ? dockerRun(a.slice(1)) : undefined),
};

/** `python -m pip_audit …` → `pip-audit …`. */
function pythonModule(args: string[]): Invocation | undefined {
    const m = args.indexOf("-m");
    if (m < 0 || !args[m + 1]) return undefined;
    return { exe: args[m + 1].replace(/_/g, "-"), args: args.slice(m + 2) };
}

/** What a command's words run; undefined for an empty command. */
export function invocationOf(words: string[]): Invocation | undefined {
    if (words.length === 0) return undefined;
    const exe = basename(words[0]);
    const args = words.slice(1);
    const unwrap = WRAPPERS[exe];
    if (unwrap) {
        const inner = unwrap(args);
        if (inner) return inner;
    }
    return { exe, args };
}

/** The value of the first of `names` (`--x v`, `--x=v`, `-x v`), else undefined. */
export function flagValue(args: string[], names: string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        for (const name of names) {
            if (args[i] === name) return args[i + 1];
            if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
        }
    }
    return undefined;
}

/** Every value of a repeatable flag. */
export function flagValues(args: string[], names: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
        for (const name of names) {
            if (args[i] === name && args[i + 1] !== undefined) out.push(args[i + 1]);
            else if (args[i].startsWith(`${name}=`)) out.push(args[i].slice(name.length + 1));
        }
    }
    return out;
}

/** True when any of `names` is present (with or without `=value`). */
export function hasFlag(args: string[], names: string[]): boolean {
    return args.some((a) => names.some((n) => a === n || a.startsWith(`${n}=`)));
}

/** Arguments that are not flags (and not the values of `valued` flags). */
export function positionals(args: string[], valued: string[] = []): string[] {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
        if (args[i].startsWith("-")) {
            if (valued.includes(args[i])) i++;
            continue;
        }
        out.push(args[i]);
    }
    return out;
}
