import { expect } from "chai";
import * as fc from "fast-check";
import { checkDockerfile, isRootUser, userVerdict } from "../policy/lib/dockerfile";
import { Binding, concrete, expandWord, splitWords } from "../policy/lib/dockerfileWords";
import { buildOf } from "../policy/lib/dockerfileSource";

const set = (value: string): Binding => ({ kind: "set", values: [[value]] });
/** Expands with known variables; any other name is unset (as in a stage FROM scratch). */
const expand = (word: string, vars: Record<string, string> = {}, esc = "\\") =>
    expandWord(word, (n) => (n in vars ? set(vars[n]) : { kind: "unset" }), esc).map((e) => concrete(e));
const final = (content: string, options = {}) => checkDockerfile(content, options).finalStageProblems;
const advisories = (content: string, options = {}) => checkDockerfile(content, options).baseImageAdvisories;

describe("Dockerfile words (BuildKit's shell lexer rules)", () => {
    it("removes quotes and processes escapes the way ProcessWord does", () => {
        expect(expand('"root"')).to.deep.equal(["root"]);
        expect(expand("'0'")).to.deep.equal(["0"]);
        expect(expand("ro\\ot")).to.deep.equal(["root"]);
        expect(expand('"a\\"b"')).to.deep.equal(['a"b']);
        expect(expand('"a\\b"'), "a backslash before an ordinary character stays inside double quotes").to.deep.equal(["a\\b"]);
        expect(expand("'$U'", { U: "x" }), "single quotes are literal").to.deep.equal(["$U"]);
        expect(expand('"$U"', { U: "x" })).to.deep.equal(["x"]);
        expect(expand("\\$U", { U: "x" })).to.deep.equal(["$U"]);
        expect(expand("ro`ot", {}, "`"), "the esc directive's character").to.deep.equal(["root"]);
    });

    it("expands $V, ${V} and every modifier BuildKit supports", () => {
        const vars = { U: "app", E: "" };
        expect(expand("$U:${U}", vars)).to.deep.equal(["app:app"]);
        expect(expand("${N:-root}", vars)).to.deep.equal(["root"]);
        expect(expand("${E:-root}", vars), ":- treats empty as unset").to.deep.equal(["root"]);
        expect(expand("${E-root}", vars), "- keeps an empty value").to.deep.equal([""]);
        expect(expand("${U:+root}", vars)).to.deep.equal(["root"]);
        expect(expand("${N:+root}", vars)).to.deep.equal([""]);
        expect(expand("${U+x}${E+y}${N+z}", vars)).to.deep.equal(["xy"]);
        expect(expand("${U#a}", vars)).to.deep.equal(["pp"]);
        expect(expand("${U%p}", vars)).to.deep.equal(["ap"]);
        expect(expand("$1$", vars), "a digit name is a positional parameter; a lone $ is literal").to.deep.equal(["$"]);
        expect(() => expand("${N:?must be set}")).to.throw(/N: is not allowed to be unset/);
        expect(() => expand("${:x}")).to.throw(/bad substitution/);
        expect(() => expand('"root')).to.throw(/matching double-quote/);
    });

    it("keeps base-image variables symbolic: unset, or a value only the image knows", () => {
        const base = (word: string) => expandWord(word, () => ({ kind: "base" }));
        expect(base("$APP_UID")).to.deep.equal([[], [{ unknown: "APP_UID" }]]);
        expect(base("${U:-root}")).to.deep.equal([["root"], [{ unknown: "U" }]]);
        expect(base("app$X")).to.deep.equal([["app"], ["app", { unknown: "X" }]]);
    });

    it("splits ARG and ENV arguments into words as parseWords does", () => {
        expect(splitWords('A="x y" B=1')).to.deep.equal(['A="x y"', "B=1"]);
        expect(splitWords("W=a\\ b C")).to.deep.equal(["W=a\\ b", "C"]);
        expect(splitWords("A='' B")).to.deep.equal(["A=''", "B"]);
    });

    it("never throws anything but a syntax error on any input (property)", () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 30 }), (word) => {
                try {
                    expand(word, { U: "1" });
                } catch (err) {
                    expect((err as Error).constructor.name).to.equal("WordSyntaxError");
                }
            }),
        );
    });
});

describe("Dockerfile users (Trivy DS-0002 on the final stage, hadolint DL3002 per stage)", () => {
    it("knows which users are root: root, uid 0 in any spelling, empty, with any group", () => {
        expect(["root", "0", "00", "root:root", "0:1000", " root ", "", ":0", "root:"].every(isRootUser)).to.equal(true);
        expect(["10001", "app", "rooter", "1000:0", "node", "0app", "Root"].some(isRootUser)).to.equal(false);
    });

    it("judges a user with base-image parts by what it could become", () => {
        expect(userVerdict([{ unknown: "U" }])).to.equal("unknown");
        expect(userVerdict(["app", { unknown: "U" }])).to.equal("non-root");
        expect(userVerdict(["ro", { unknown: "U" }])).to.equal("unknown");
        expect(userVerdict(["root:", { unknown: "G" }])).to.equal("root");
        expect(userVerdict(["1000:", { unknown: "G" }])).to.equal("non-root");
    });

    it("passes a multi-stage file whose final stage switches to a numeric user", () => {
        const report = checkDockerfile(
            'FROM node:20 AS deps\nRUN npm ci\nFROM node:20-slim\nCOPY --from=deps /a /a\nUSER 10001:10001\nCMD ["node"]\n',
        );
        expect([report.finalStageProblems, report.baseImageAdvisories, report.rootBuildStages]).to.deep.equal([[], [], []]);
        expect(report.finalUser).to.include({ stage: "#2 (FROM node:20-slim)", value: "10001:10001", verdict: "non-root", line: 5 });
    });

    it("fails without any USER, naming the final stage; FROM scratch runs as uid 0", () => {
        expect(final('FROM node:20 AS app\nCMD ["node"]\n')).to.deep.equal([
            'the final stage "app" has no USER instruction, so the container runs as the base image\'s user (root for most images; Trivy DS-0002 asks for an explicit USER)',
        ]);
        expect(final("FROM scratch\nCOPY app /app\n")[0]).to.match(/builds FROM scratch, so the container runs as uid 0/);
    });

    it("fails a final USER that is root however it is written", () => {
        for (const user of ["root", '"root"', "'0'", "0:0", "root:staff", "r\\oot", "00", '""']) {
            expect(final(`FROM node:20\nUSER ${user}\n`), user).to.have.length(1);
        }
        expect(final("FROM node:20\nUSER root\n")[0]).to.equal(
            'the final stage "#1 (FROM node:20)" runs as "root" (USER root at line 2), which is root',
        );
        expect(final("FROM node:20\nUSER 10001\nRUN id\nUSER root\n")[0]).to.match(/"root" \(USER root at line 4\)/);
    });

    it("names the final stage when it inherits root from its parent stage", () => {
        const file = "FROM python:3.12 AS base\nUSER root\nFROM base AS prod\nCOPY . .\n";
        expect(final(file)).to.deep.equal([
            'the final stage "prod" runs as "root" (USER root at line 2, set in stage "base" and inherited through FROM), which is root',
        ]);
    });

    it("resolves ARG, ENV and build args in Docker's order and scope", () => {
        expect(final("FROM node:20\nARG APP_USER=10001\nUSER ${APP_USER}\n")).to.deep.equal([]);
        expect(final("FROM node:20\nARG APP_USER=10001\nUSER ${APP_USER}\n", { buildArgs: { APP_USER: "0" } })[0]).to.match(/"0"/);
        expect(final("ARG APP_USER=root\nFROM node:20\nARG APP_USER\nUSER $APP_USER\n")[0]).to.match(/"root"/);
        expect(final("ARG APP_USER=app\nFROM node:20\nUSER $APP_USER\n")[0], "a global ARG not declared again").to.match(
            /expands to nothing.*APP_USER is declared before FROM/,
        );
        expect(final("FROM node:20\nENV APP_USER=app\nUSER ${APP_USER:-root}\n")).to.deep.equal([]);
        expect(final("FROM node:20\nARG U\nUSER ${U:-root}\n")[0], "ARG without a value or build arg is unset").to.match(/"root"/);
        expect(final("FROM node:20\nARG U\nUSER ${U:-root}\n", { buildArgs: { U: "app" } })).to.deep.equal([]);
        expect(final("FROM a\nARG A=1 B=$A\nUSER ${B}\n"), "an ARG pair sees the pair before it").to.deep.equal([]);
        expect(final("FROM a\nENV A=0\nENV A=1 B=$A\nUSER $B\n")[0], "ENV pairs see the values from before the instruction").to.match(
            /"0"/,
        );
        expect(final("FROM a\nENV U root\nUSER $U\n")[0], "the legacy ENV form").to.match(/"root"/);
        expect(final('FROM a\nARG U="root"\nUSER "$U"\n')[0]).to.match(/"root"/);
        expect(final("FROM a\nUSER ${U:-root}\nARG U=app\n")[0], "a variable used before its ARG").to.match(
            /"root".*U has no value at that line/,
        );
        expect(final("FROM a AS one\nARG U=app\nFROM one\nUSER $U\n"), "a child stage inherits its parent's ARGs").to.deep.equal([]);
    });

    it("advises, never fails, when the user depends on the base image's ENV", () => {
        expect(final("FROM mcr.microsoft.com/dotnet/aspnet:8.0\nUSER $APP_UID\n")).to.deep.equal([]);
        expect(advisories("FROM mcr.microsoft.com/dotnet/aspnet:8.0\nUSER $APP_UID\n")).to.deep.equal([
            'the final stage "#1 (FROM mcr.microsoft.com/dotnet/aspnet:8.0)" sets USER $APP_UID at line 2, which depends on APP_UID: only the base image "mcr.microsoft.com/dotnet/aspnet:8.0" can set it, and its environment cannot be read offline (root if it leaves APP_UID unset or empty); check that image\'s user is not root',
        ]);
        expect(advisories("FROM a\nUSER app$SUFFIX\n"), "a known non-root prefix decides").to.deep.equal([]);
        expect(final("FROM scratch\nUSER $APP_UID\n")[0], "scratch has no environment").to.match(/expands to nothing/);
        expect(advisories("FROM base-image AS b\nFROM b\nUSER ${NB_UID}\n")[0]).to.match(/base image "base-image"/);
    });

    it("names a USER the builder refuses instead of guessing its user", () => {
        expect(final("FROM a\nUSER\n")).to.deep.equal([
            'the final stage "#1 (FROM a)" has a USER without an argument at line 2, which docker build refuses',
        ]);
        expect(advisories("FROM a\nUSER ${\n")[0]).to.match(/cannot be expanded \(syntax error: missing '}'\)/);
    });

    it("only advises on root build stages (the final stage is what runs)", () => {
        const report = checkDockerfile("FROM golang:1.23 AS build\nUSER root\nRUN go build\nFROM gcr.io/distroless/static\nUSER 65532\n");
        expect(report.finalStageProblems).to.deep.equal([]);
        expect(report.rootBuildStages).to.deep.equal([{ stage: "build", user: "root", line: 2, value: "root", verdict: "root" }]);
    });

    it("checks the --target stage, and a stage built FROM another inherits its user", () => {
        const file = 'FROM node:20 AS base\nUSER 10001\nFROM base AS test\nUSER root\nFROM base AS runtime\nCMD ["node"]\n';
        expect(final(file)).to.deep.equal([]);
        expect(final(file, { target: "test" })[0]).to.match(/final stage "test" runs as "root"/);
        expect(final(file, { target: "nope" })[0]).to.match(/build target "nope" is not a stage/);
        expect(final("FROM node:20 AS Base\nUSER app\nFROM BASE\n"), "stage names are case-insensitive").to.deep.equal([]);
        expect(final("ARG BASE=base\nFROM node:20 AS base\nUSER app\nFROM ${BASE}\n"), "FROM expands global ARGs").to.deep.equal([]);
    });

    it("ignores what is not a USER instruction of this image: heredocs, comments, ONBUILD", () => {
        expect(final("FROM a\nRUN <<EOT\nUSER root\nEOT\n# USER root\nONBUILD USER root\nUSER app\n")).to.deep.equal([]);
        expect(final("FROM a\nUSER app \\\n  # a comment inside the continuation\n  x\n")).to.deep.equal([]);
    });

    it("finds the Dockerfile of @pulumi/docker and docker-build images relative to the project", () => {
        expect(buildOf("docker:index/image:Image", { build: { context: "app" } }).dockerfile).to.equal("app/Dockerfile");
        expect(
            buildOf("docker:index/image:Image", {
                build: { context: "app", dockerfile: "ops/Dockerfile.prod", target: "runtime", args: { A: "1" } },
            }),
        ).to.deep.equal({ dockerfile: "ops/Dockerfile.prod", target: "runtime", buildArgs: { A: "1" } });
        expect(buildOf("docker-build:index:Image", { context: { location: "svc" } }).dockerfile).to.equal("svc/Dockerfile");
    });
});
